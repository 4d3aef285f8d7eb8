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

Each VIF becomes a :class:`~os_vif_vrouter.ports.Port` (plug) or its
:class:`~os_vif_vrouter.ports.Attachment` (unplug) first, checked as a
whole; then one private method per datapath does the work:

========================  ============================  ===================
os-vif object (from       datapath                      plug / unplug
os_vif_translate)
========================  ============================  ===================
VIFGeneric                kernel                        _plug_kernel /
                                                        _unplug_port
VIFVHostUser, no port     dpdk                          _plug_vhostuser /
profile                                                 _unplug_port
VIFHostDevice +           offload-direct                _plug_offload /
representor profile                                     _unplug_offload
VIFVHostUser +            offload-virtio-forwarder      _plug_offload /
representor profile                                     _unplug_offload
========================  ============================  ===================

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
import typing as ty

from os_vif import objects
from os_vif import plugin
from oslo_config import cfg
from oslo_log import log as logging

from os_vif_translate import datapath
from os_vif_translate import validate as osvt_validate
from os_vif_vrouter import agent_client
from os_vif_vrouter import backoff
from os_vif_vrouter import constants
from os_vif_vrouter import exception
from os_vif_vrouter import locks
from os_vif_vrouter import opts
from os_vif_vrouter import ports
from os_vif_vrouter import privileged
from os_vif_vrouter import registration
from os_vif_vrouter import representor

LOG = logging.getLogger(__name__)


class LogOnce(object):
    """Logs each message once.

    os-vif loads the plugin under both its names, and os_vif.initialize()
    may run again: the plugins of a process share one LogOnce
    (:data:`PROCESS_LOG`), so that what is wrong with the host is said
    once.
    """

    def __init__(self, logger: ty.Any) -> None:
        self._logger = logger
        self._said: ty.Set[str] = set()
        self._lock = threading.Lock()

    def log(self, level: int, message: str,
            args: ty.Dict[str, ty.Any]) -> None:
        text = message % args
        with self._lock:
            if text in self._said:
                return
            self._said.add(text)
        self._logger.log(level, '%s', text)


PROCESS_LOG = LogOnce(LOG)


class VRouterPlugin(plugin.PluginBase):
    """Plugs VIFs into the Tungsten Fabric / OpenSDN vRouter.

    Loaded as 'vrouter' and as 'contrail_vrouter'; both read their
    options from [os_vif_vrouter].
    """

    # os-vif lists the CONFIG_OPTS of each plugin it loaded under
    # [os_vif_<name>] (os_vif.opts, in Nova's sample configuration); both
    # names read [os_vif_vrouter], so only the plugin loaded as 'vrouter'
    # lists them (see __init__).
    CONFIG_OPTS: list = []

    def __init__(self, config: ty.Any,
                 plugin_name: str = constants.PLUGIN_VROUTER,
                 lock_path: ty.Optional[str] = None,
                 log_once: ty.Optional[LogOnce] = None) -> None:
        """:param lock_path: ``[oslo_concurrency] lock_path``: where the
            ports' locks are shared with vrouter-port-control and
            vrouter-port-audit
        :param log_once: what says the host's problems once (default: the
            process's :data:`PROCESS_LOG`)
        """
        super().__init__(config)
        self.plugin_name = plugin_name
        if 'os_vif_' + plugin_name == constants.CONFIG_GROUP:
            self.CONFIG_OPTS = opts.ALL_OPTS
        self.log_once = log_once or PROCESS_LOG
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
            self.log_once.log(logging.ERROR, '%(error)s',
                              {'error': self.misconfigured.format_message()})

    def _check_port_dir(self) -> None:
        """Warn, once per process, when the agent's port directory is
        missing at a plug.

        Not at load: os_vif.initialize() loads the plugin under both its
        names in every nova-compute, also on hosts without vRouter ports.
        Only what an unprivileged process can see; the plug creates the
        directory (its error names it if it cannot).
        """
        port_dir = self.registrar.port_dir
        if not os.path.isdir(port_dir):
            self.log_once.log(
                logging.WARNING,
                'The vRouter agent\'s port directory %(dir)s does not '
                'exist: the plug creates it (is the vRouter agent '
                'installed? see [%(group)s] port_dir)',
                {'dir': port_dir, 'group': constants.CONFIG_GROUP})

    @classmethod
    def load(cls, plugin_name: str) -> 'VRouterPlugin':
        # os-vif would register CONFIG_OPTS in 'os_vif_<plugin_name>', one
        # group per name; the operator configures one agent, so both names
        # share [os_vif_vrouter].
        return cls(opts.register_opts(cfg.CONF), plugin_name=plugin_name,
                   lock_path=locks.lock_path_of(cfg.CONF))

    def describe(self) -> ty.Any:
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

    def plug(self, vif: ty.Any, instance_info: ty.Any) -> None:
        """Register the VIF's port with the vRouter agent.

        :raises: exception.VRouterPlugError (an os-vif PlugException)
            naming the port, with the typed error as its cause
        """
        try:
            if self.misconfigured:
                raise self.misconfigured
            port = ports.from_vif(vif, instance_info)
            self._check_port_dir()
            if port.attachment.datapath == datapath.KERNEL:
                self._plug_kernel(port)
            elif port.attachment.datapath == datapath.DPDK:
                self._plug_vhostuser(port)
            else:
                self._plug_offload(port)
        except exception.PLUGIN_ERRORS as exc:
            raise exception.VRouterPlugError(
                port_id=ports.port_id_of(vif),
                reason=exc.format_message()) from exc

    def unplug(self, vif: ty.Any, instance_info: ty.Any) -> None:
        """Remove the VIF's port from the vRouter agent and its port file.

        Idempotent: unplugging a port the agent does not know is fine.

        :raises: exception.VRouterUnplugError (an os-vif UnplugException)
            naming the port, with the typed error as its cause
        """
        try:
            if self.misconfigured:
                raise self.misconfigured
            attachment = ports.attachment_of(vif)
            if attachment.offloaded:
                self._unplug_offload(attachment)
            else:
                self._unplug_port(attachment.port_id)
        except exception.PLUGIN_ERRORS as exc:
            raise exception.VRouterUnplugError(
                port_id=ports.port_id_of(vif),
                reason=exc.format_message()) from exc

    def _unplug_port(self, port_id: str) -> None:
        """Deregister a kernel or DPDK port (its device is libvirt's)."""
        with self.registrar.port_lock(port_id):
            self.registrar.deregister(port_id)

    # Kernel vRouter.

    def _plug_kernel(self, port: ports.Port) -> None:
        """Register the tap; that it does not exist yet is normal.

        libvirt creates the tap when the domain starts, after the plug; the
        agent picks it up when it appears.  If the agent is down, the port
        file is enough: it replays it when it starts.
        """
        with self.registrar.port_lock(port.id):
            self.registrar.register(port, agent_down_ok=True)

    # DPDK vRouter.

    def _plug_vhostuser(self, port: ports.Port) -> None:
        """Register a DPDK vhost-user port.

        Unlike the kernel datapath, the DPDK vRouter needs the agent to
        set the port up: wait for it (bounded), then fail.  When the
        vRouter is the socket's server, wait for it to create the socket,
        which QEMU will connect to.
        """
        self.client.wait_until_listening(self.config.vhostuser_agent_wait)
        with self.registrar.port_lock(port.id):
            registration = self.registrar.register(port,
                                                   agent_down_ok=False)
            socket = port.vhostuser and port.vhostuser.vrouter_socket
            if socket:
                self._wait_for_socket(port.id, socket, registration)

    def _wait_for_socket(self, port_id: str, path: str,
                         registration: registration.Registration) -> None:
        """Wait for the vRouter's socket; on timeout undo what the plug
        did (a port the agent had before keeps its registration).
        """
        timeout = self.config.vhostuser_socket_wait
        try:
            backoff.wait_for(lambda: os.path.exists(path), timeout)
        except backoff.GaveUp:
            self.registrar.undo(registration)
            raise exception.VhostUserSocketTimeout(
                port_id=port_id, path=path, timeout=timeout)

    # Offload (direct, virtio-forwarder).

    def _find_representor(self, port_id: str,
                          vf: ty.Optional[ports.Representor]) -> str:
        """The representor netdev of the port's VF.

        :raises: InvalidPortData (no VF), RepresentorNotFound,
            RepresentorLookupError, InvalidDeviceName
        """
        if vf is None or vf.vf_address is None:
            raise exception.InvalidPortData(
                port_id=port_id,
                reason='the representor profile names no VF '
                       '(representor_address)')
        name, source = self.resolver.resolve(port_id, vf.vf_address,
                                             vf.profile_name)
        if source == representor.SOURCE_PROFILE:
            LOG.warning('No switchdev attribute nor vendor map names the '
                        'representor of VF %(vf)s; using %(name)s from '
                        'the port profile of port %(port)s',
                        {'vf': vf.vf_address, 'name': name, 'port': port_id})
        return name

    def _plug_offload(self, port: ports.Port) -> None:
        """Register the VF's representor as the port's device.

        IPv6 is disabled on the representor and it is set up before it is
        registered; if the registration fails, it is set down again (only
        if the plug set it up).
        """
        device = self._find_representor(port.id, port.attachment.representor)
        port = port.on_device(device)
        with self.registrar.port_lock(port.id):
            privileged.disable_ipv6(device)
            changed = privileged.set_link_state(device, privileged.LINK_UP)
            try:
                self.registrar.register(port, agent_down_ok=True)
            except exception.VRouterException:
                if changed:
                    self._undo_link_up(port.id, device)
                raise

    @staticmethod
    def _undo_link_up(port_id: str, device: str) -> None:
        try:
            privileged.set_link_state(device, privileged.LINK_DOWN)
        except exception.VRouterException as exc:
            LOG.error('Could not set representor %(device)s of port '
                      '%(port)s down again: %(error)s',
                      {'device': device, 'port': port_id, 'error': exc})

    def _unplug_offload(self, attachment: ports.Attachment) -> None:
        """Deregister the representor, then set it down."""
        port_id = attachment.port_id
        with self.registrar.port_lock(port_id):
            device = self._registered_device(attachment)
            self.registrar.deregister(port_id)
            if device is not None:
                self._set_down(port_id, device)

    def _registered_device(self,
                           attachment: ports.Attachment) -> ty.Optional[str]:
        """The device the port was registered with: the port file's
        system-name, else the representor found again.
        """
        registered = self.registrar.read(attachment.port_id)
        if isinstance(registered, dict):
            name = registered.get(constants.KEY_SYSTEM_NAME)
            if osvt_validate.is_device_name(name):
                return name
        try:
            return self._find_representor(attachment.port_id,
                                          attachment.representor)
        except exception.RepresentorNotFound as exc:
            LOG.warning('%(error)s; it is not set down', {'error': exc})
            return None

    @staticmethod
    def _set_down(port_id: str, device: str) -> None:
        try:
            privileged.set_link_state(device, privileged.LINK_DOWN)
        except exception.NetworkDeviceNotFound:
            LOG.debug('Representor %(device)s of port %(port)s is gone: '
                      'nothing to set down',
                      {'device': device, 'port': port_id})
