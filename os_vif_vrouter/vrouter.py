# Copyright 2026 The os-vif-vrouter authors
#
#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

"""The vRouter os-vif plugin.

=====================================  ==================  ==============
os-vif object (from os_vif_translate)  datapath            plug
=====================================  ==================  ==============
VIFGeneric                             kernel vRouter      _plug_kernel
VIFVHostUser, no port profile          DPDK vRouter        _plug_vhostuser
VIFHostDevice + representor profile    offload, direct     _plug_offload
VIFVHostUser + representor profile     offload, virtio-    _plug_offload
                                       forwarder
=====================================  ==================  ==============

The representor profile is a ``VIFPortProfileBase`` whose
``datapath_offload`` is a ``DatapathOffloadRepresentor`` naming the VF
(``representor_address``) and the device name Nova chose
(``representor_name``).

NOTE: for virtio-forwarder, the relay (virtio-forwarder's daemon) must
also attach the port's vhost-user socket to the VF.  Upstream's variant of
vrouter-port-control ran ``virtioforwarder_port_control.py add_sock`` for
that; this plugin runs no subprocess, and the relay's control channel (a
ZeroMQ/protobuf socket) has no Python client among our dependencies, so
the relay is not called: it must be configured to serve the VF (its
static configuration or its own port control).  The representor is
registered with the agent as for ``direct``.
"""

import os
import threading

from os_vif import objects
from os_vif import plugin
from oslo_config import cfg
from oslo_log import log as logging

from os_vif_vrouter import agent_client
from os_vif_vrouter import backoff
from os_vif_vrouter import constants
from os_vif_vrouter import exception
from os_vif_vrouter import locks
from os_vif_vrouter import opts
from os_vif_vrouter import port_request
from os_vif_vrouter import privileged
from os_vif_vrouter import registration
from os_vif_vrouter import representor
from os_vif_vrouter import validate
from os_vif_vrouter import vif_fields

LOG = logging.getLogger(__name__)

# What _log_once has said in this process.
_LOGGED = set()
_LOGGED_LOCK = threading.Lock()


def _log_once(level, message, args):
    """Log a message once per process: the plugin is loaded twice (one
    instance per os-vif name) and os_vif.initialize() may run again.
    """
    text = message % args
    with _LOGGED_LOCK:
        if text in _LOGGED:
            return
        _LOGGED.add(text)
    LOG.log(level, '%s', text)


# vhostuser-mode for the agent, by os-vif's VIFVHostUser.mode (the mode of
# QEMU's end): QEMU as server means the vRouter connects, and back.
_VHOSTUSER_MODES = {
    constants.OSVIF_VHOSTUSER_MODE_SERVER:
        constants.VHOSTUSER_MODE_VROUTER_CLIENT,
    constants.OSVIF_VHOSTUSER_MODE_CLIENT:
        constants.VHOSTUSER_MODE_VROUTER_SERVER,
}

_REPRESENTOR_PROFILE = 'VIFPortProfileBase with a DatapathOffloadRepresentor'


class VRouterPlugin(plugin.PluginBase):
    """Plugs VIFs into the Tungsten Fabric / OpenSDN vRouter.

    Loaded as 'vrouter' and as 'contrail_vrouter'; both read their
    options from [os_vif_vrouter].
    """

    # os-vif lists the CONFIG_OPTS of each plugin it loaded under
    # [os_vif_<name>] (os_vif.opts, in Nova's sample configuration); both
    # names read [os_vif_vrouter], so only the plugin loaded as 'vrouter'
    # lists them (see __init__).
    CONFIG_OPTS = []

    def __init__(self, config, plugin_name=constants.PLUGIN_VROUTER,
                 lock_path=None):
        """:param lock_path: ``[oslo_concurrency] lock_path``: where the
        ports' locks are shared with vrouter-port-control and
        vrouter-port-audit
        """
        super().__init__(config)
        self.plugin_name = plugin_name
        if 'os_vif_' + plugin_name == constants.CONFIG_GROUP:
            self.CONFIG_OPTS = opts.ALL_OPTS
        self.misconfigured = None
        try:
            self.client = agent_client.AgentClient(
                host=config.agent_host, port=config.agent_port,
                connect_timeout=config.agent_connect_timeout,
                read_timeout=config.agent_read_timeout,
                down_memory=config.agent_down_memory,
                listener_uid=opts.listener_uid(config))
            self.registrar = registration.Registrar(
                self.client, config.port_dir, lock_path=lock_path)
            self.resolver = representor.Resolver(
                sysfs_root=config.sysfs_root,
                map_path=config.representor_map)
        except (exception.VRouterException, ValueError) as exc:
            # NOTE: a bad option must not keep os-vif from loading the
            # plugin (Nova would then say it is not installed): say it
            # once, here, and fail every plug and unplug with it.
            reason = (exc.format_message() if isinstance(
                exc, exception.VRouterException) else str(exc))
            self.misconfigured = exception.PluginMisconfigured(
                group=constants.CONFIG_GROUP, reason=reason)
            _log_once(logging.ERROR, '%s',
                      self.misconfigured.format_message())

    def _check_port_dir(self):
        """Warn, once per process, when the agent's port directory is
        missing at a plug.

        Not at load: os_vif.initialize() loads the plugin under both its
        names in every nova-compute, also on hosts without vRouter ports.
        Only what an unprivileged process can see; the plug creates the
        directory (its error names it if it cannot).
        """
        port_dir = self.registrar.port_dir
        if not os.path.isdir(port_dir):
            _log_once(logging.WARNING,
                      'The vRouter agent\'s port directory %(dir)s does not '
                      'exist: the plug creates it (is the vRouter agent '
                      'installed? see [%(group)s] port_dir)',
                      {'dir': port_dir, 'group': constants.CONFIG_GROUP})

    @classmethod
    def load(cls, plugin_name):
        # os-vif would register CONFIG_OPTS in 'os_vif_<plugin_name>', one
        # group per name; the operator configures one agent, so both names
        # share [os_vif_vrouter].
        return cls(opts.register_opts(cfg.CONF), plugin_name=plugin_name,
                   lock_path=locks.lock_path_of(cfg.CONF))

    def describe(self):
        representor_profile = objects.host_info.HostPortProfileInfo(
            profile_object_name=objects.vif.VIFPortProfileBase.__name__,
            # 1.1 added datapath_offload, which names the VF.
            min_version='1.1',
            max_version='1.1')
        return objects.host_info.HostPluginInfo(
            plugin_name=self.plugin_name,
            vif_info=[
                objects.host_info.HostVIFInfo(
                    vif_object_name=objects.vif.VIFGeneric.__name__,
                    min_version='1.0',
                    max_version='1.0',
                    supported_port_profiles=[]),
                objects.host_info.HostVIFInfo(
                    vif_object_name=objects.vif.VIFVHostUser.__name__,
                    # 1.1 added vif_name, the agent's system-name.
                    min_version='1.1',
                    max_version='1.1',
                    supported_port_profiles=[representor_profile]),
                objects.host_info.HostVIFInfo(
                    vif_object_name=objects.vif.VIFHostDevice.__name__,
                    min_version='1.0',
                    max_version='1.0',
                    supported_port_profiles=[representor_profile]),
            ])

    # Dispatch.

    @staticmethod
    def _get_offload(vif):
        """The DatapathOffloadRepresentor of the VIF's profile, or None.

        :raises: WrongPortProfile for any other profile or offload
        """
        profile = vif.port_profile if 'port_profile' in vif else None
        if profile is None:
            return None
        offload = (profile.datapath_offload
                   if 'datapath_offload' in profile else None)
        # Exactly the base class: a subclass (an OVS profile, say) means
        # the VIF was meant for another plugin.
        if (type(profile) is not objects.vif.VIFPortProfileBase or
                (offload is not None and not isinstance(
                    offload, objects.vif.DatapathOffloadRepresentor))):
            raise exception.WrongPortProfile(
                port_id=vif_fields.port_id_of(vif),
                profile='%s(datapath_offload=%s)' % (
                    type(profile).__name__, type(offload).__name__),
                vif_type=type(vif).__name__,
                expected='none, or ' + _REPRESENTOR_PROFILE)
        return offload

    @staticmethod
    def _check_port_id(vif):
        """The port id, before anything else: every step names the port.

        :raises: InvalidPortData, InvalidPortId
        """
        validate.port_id(vif_fields.required(vif, 'id', '<unknown>'))

    @staticmethod
    def _unsupported(vif):
        return exception.UnsupportedVIF(
            port_id=vif_fields.port_id_of(vif), vif_type=type(vif).__name__,
            supported='VIFGeneric, VIFVHostUser, VIFHostDevice')

    def plug(self, vif, instance_info):
        """Register the VIF's port with the vRouter agent.

        :raises: exception.VRouterPlugError (an os-vif PlugException)
            naming the port, with the typed error as its cause
        """
        try:
            if self.misconfigured:
                raise self.misconfigured
            self._check_port_id(vif)
            self._check_port_dir()
            offload = self._get_offload(vif)
            if isinstance(vif, objects.vif.VIFGeneric):
                if offload is not None:
                    raise exception.WrongPortProfile(
                        port_id=vif_fields.port_id_of(vif),
                        profile=_REPRESENTOR_PROFILE,
                        vif_type=type(vif).__name__, expected='none')
                self._plug_kernel(vif, instance_info)
            elif isinstance(vif, objects.vif.VIFVHostUser):
                if offload is None:
                    self._plug_vhostuser(vif, instance_info)
                else:
                    self._plug_offload(vif, instance_info, offload)
            elif isinstance(vif, objects.vif.VIFHostDevice):
                if offload is None:
                    raise exception.MissingPortProfile(
                        port_id=vif_fields.port_id_of(vif),
                        vif_type=type(vif).__name__)
                self._plug_offload(vif, instance_info, offload)
            else:
                raise self._unsupported(vif)
        except exception.VRouterException as exc:
            raise exception.VRouterPlugError(
                port_id=vif_fields.port_id_of(vif),
                reason=exc.format_message()) from exc

    def unplug(self, vif, instance_info):
        """Remove the VIF's port from the vRouter agent and its port file.

        Idempotent: unplugging a port the agent does not know is fine.

        :raises: exception.VRouterUnplugError (an os-vif UnplugException)
            naming the port, with the typed error as its cause
        """
        try:
            if self.misconfigured:
                raise self.misconfigured
            self._check_port_id(vif)
            offload = self._get_offload(vif)
            if isinstance(vif, objects.vif.VIFGeneric):
                self._unplug_kernel(vif)
            elif isinstance(vif, objects.vif.VIFVHostUser):
                if offload is None:
                    self._unplug_vhostuser(vif)
                else:
                    self._unplug_offload(vif, offload)
            elif isinstance(vif, objects.vif.VIFHostDevice):
                if offload is None:
                    raise exception.MissingPortProfile(
                        port_id=vif_fields.port_id_of(vif),
                        vif_type=type(vif).__name__)
                self._unplug_offload(vif, offload)
            else:
                raise self._unsupported(vif)
        except exception.VRouterException as exc:
            raise exception.VRouterUnplugError(
                port_id=vif_fields.port_id_of(vif),
                reason=exc.format_message()) from exc

    # Kernel vRouter.

    def _plug_kernel(self, vif, instance_info):
        """Register the tap; that it does not exist yet is normal.

        libvirt creates the tap when the domain starts, after the plug; the
        agent picks it up when it appears.  If the agent is down, the port
        file is enough: it replays it when it starts.
        """
        request = port_request.from_vif(vif, instance_info,
                                        self._vif_name(vif))
        with self.registrar.port_lock(vif.id):
            self.registrar.register(request, agent_down_ok=True)

    def _unplug_kernel(self, vif):
        with self.registrar.port_lock(vif.id):
            self.registrar.deregister(vif.id)

    # DPDK vRouter.

    @staticmethod
    def _vif_name(vif):
        name = vif_fields.optional(vif, 'vif_name')
        if not name:
            raise exception.InvalidPortData(
                port_id=vif_fields.port_id_of(vif),
                reason='the %s has no vif_name' % type(vif).__name__)
        return name

    def _plug_vhostuser(self, vif, instance_info):
        """Register a DPDK vhost-user port.

        Unlike the kernel datapath, the DPDK vRouter needs the agent to
        set the port up: wait for it (bounded), then fail.  When the
        vRouter is the socket's server, wait for it to create the socket,
        which QEMU will connect to.
        """
        mode = _VHOSTUSER_MODES[vif_fields.required(vif, 'mode', vif.id)]
        path = None
        if mode == constants.VHOSTUSER_MODE_VROUTER_SERVER:
            path = vif_fields.required(vif, 'path', vif.id)
        request = port_request.from_vif(vif, instance_info,
                                        self._vif_name(vif),
                                        vhostuser_mode=mode)
        self.client.wait_until_listening(self.config.vhostuser_agent_wait)
        with self.registrar.port_lock(vif.id):
            done = self.registrar.register(request, agent_down_ok=False)
            if path is not None:
                self._wait_for_socket(vif.id, path, done)

    def _wait_for_socket(self, port_id, path, done):
        """Wait for the vRouter's socket; on timeout undo what the plug
        did (a port the agent had before keeps its registration).
        """
        timeout = self.config.vhostuser_socket_wait
        try:
            backoff.wait_for(lambda: os.path.exists(path), timeout)
        except backoff.GaveUp:
            self.registrar.undo(done)
            raise exception.VhostUserSocketTimeout(
                port_id=port_id, path=path, timeout=timeout)

    def _unplug_vhostuser(self, vif):
        with self.registrar.port_lock(vif.id):
            self.registrar.deregister(vif.id)

    # Offload (direct, virtio-forwarder).

    def _representor(self, vif, offload):
        vf_address = vif_fields.optional(offload, 'representor_address')
        if not vf_address and isinstance(vif, objects.vif.VIFHostDevice):
            vf_address = vif_fields.optional(vif, 'dev_address')
        if not vf_address:
            raise exception.InvalidPortData(
                port_id=vif_fields.port_id_of(vif),
                reason='the representor profile names no VF '
                       '(representor_address)')
        name, source = self.resolver.resolve(
            vif.id, vf_address,
            vif_fields.optional(offload, 'representor_name'))
        if source == representor.SOURCE_PROFILE:
            LOG.warning('No switchdev attribute nor vendor map names the '
                        'representor of VF %(vf)s; using %(name)s from '
                        'the port profile of port %(port)s',
                        {'vf': vf_address, 'name': name, 'port': vif.id})
        return name

    def _plug_offload(self, vif, instance_info, offload):
        """Register the VF's representor as the port's device.

        IPv6 is disabled on the representor and it is set up before it is
        registered; if the registration fails, it is set down again (only
        if the plug set it up).
        """
        device = self._representor(vif, offload)
        request = port_request.from_vif(vif, instance_info, device)
        with self.registrar.port_lock(vif.id):
            privileged.disable_ipv6(device)
            changed = privileged.set_link_state(device, privileged.LINK_UP)
            try:
                self.registrar.register(request, agent_down_ok=True)
            except exception.VRouterException:
                if changed:
                    self._undo_link_up(vif.id, device)
                raise

    @staticmethod
    def _undo_link_up(port_id, device):
        try:
            privileged.set_link_state(device, privileged.LINK_DOWN)
        except exception.VRouterException as exc:
            LOG.error('Could not set representor %(device)s of port '
                      '%(port)s down again: %(error)s',
                      {'device': device, 'port': port_id, 'error': exc})

    def _unplug_offload(self, vif, offload):
        """Deregister the representor, then set it down."""
        with self.registrar.port_lock(vif.id):
            device = self._registered_device(vif, offload)
            self.registrar.deregister(vif.id)
            if device is not None:
                self._set_down(vif.id, device)

    def _registered_device(self, vif, offload):
        """The device the port was registered with: the port file's
        system-name, else the representor resolved again.
        """
        registered = self.registrar.read(vif.id)
        if isinstance(registered, dict):
            name = registered.get(constants.KEY_SYSTEM_NAME)
            if isinstance(name, str) and name:
                return name
        try:
            return self._representor(vif, offload)
        except exception.RepresentorNotFound as exc:
            LOG.warning('%(error)s; it is not set down', {'error': exc})
            return None

    @staticmethod
    def _set_down(port_id, device):
        try:
            privileged.set_link_state(device, privileged.LINK_DOWN)
        except exception.NetworkDeviceNotFound:
            LOG.debug('Representor %(device)s of port %(port)s is gone: '
                      'nothing to set down',
                      {'device': device, 'port': port_id})
