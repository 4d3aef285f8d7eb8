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

"""libvirt VIF driver for the Tungsten Fabric / OpenSDN vRouter.

vRouter VIFs (see nova.network.model_vrouter) get their interface config,
plug and unplug here; every other VIF goes to LibvirtGenericVIFDriver,
unchanged.  Plugging is done by the vRouter os-vif plugin ('vrouter' and
'contrail_vrouter' entry points of the os-vif-vrouter distribution), which
registers the port with the vRouter agent on this host.

Nova does not require os-vif-vrouter: nothing of it is loaded, and nothing
about the vRouter is logged, until the first vRouter VIF.
"""

import os

import os_vif
from os_vif import exception as osv_exception
from os_vif.objects import vif as osv_vifs
from oslo_concurrency import processutils
from oslo_log import log as logging

from nova import exception
from nova.i18n import _
from nova.network import model_vrouter
import nova.privsep.linux_net
from nova.virt.libvirt import vif as libvirt_vif


LOG = logging.getLogger(__name__)

# Errors raised for a vRouter VIF that cannot be translated here.
_TRANSLATION_ERRORS = (exception.VRouterVIFInvalid,
                       exception.VifDetailsMissingVhostuserSockPath,
                       exception.VRouterSupportNotInstalled)


def _cause(ex):
    """The plugin's own error inside os-vif's Plug/UnplugException.

    os-vif wraps whatever the plugin raised, together with the whole VIF
    object, which would bury the cause in a long message.
    """
    if isinstance(ex, (osv_exception.PlugException,
                       osv_exception.UnplugException)):
        return ex.kwargs.get('err', ex)
    return ex


def _missing_plugins():
    """The vRouter os-vif plugins that os-vif has not loaded.

    :returns: a list of plugin names, or None before os_vif.initialize()
    """
    try:
        info = os_vif.host_info()
    except osv_exception.LibraryNotInitialized:
        return None
    return [name for name in model_vrouter.OS_VIF_PLUGINS
            if not info.has_plugin(name)]


_SYS_CLASS_NET = '/sys/class/net'
# linux/if_tun.h: the tap outlives the last file descriptor open on it.
_IFF_PERSIST = 0x0800


def _read_netdev_attribute(name, attribute):
    """A network device's sysfs attribute, or None if it cannot be read.

    None when there is no such device or attribute (only taps have
    tun_flags), or when the kernel refuses to tell (a device that is down
    has no carrier to read).
    """
    try:
        with open(os.path.join(_SYS_CLASS_NET, name, attribute)) as f:
            return f.read().strip()
    except OSError:
        return None


def _remove_leftover_tap(vif):
    """Delete a tap of the port's name that nothing holds any more.

    libvirt creates a kernel vRouter port's tap when the domain starts and
    refuses to start it if a device of that name already exists ("The
    <tap> interface already exists", libvirt 9.0 and 11.3 alike); with
    ``managed='no'`` it would use it, but then a live migration's
    destination, which has no tap, could not start the guest.  The taps
    libvirt makes go away with QEMU's last file descriptor, so a tap that
    exists before start is a persistent one left behind (by the older
    ``vif_plug_vrouter`` plugin, which made them, or by hand) and nothing
    holds it: the kernel keeps its carrier off while no process has it
    open.  A tap in use (a running guest's, whose VIFs are plugged again
    when nova-compute starts) is left alone.

    :param vif: the os-vif VIFGeneric of a kernel vRouter port
    :raises: exception.VirtualInterfacePlugException naming the port and
        the tap if it cannot be deleted
    """
    flags = _read_netdev_attribute(vif.vif_name, 'tun_flags')
    if flags is None or not int(flags, 16) & _IFF_PERSIST:
        return
    if _read_netdev_attribute(vif.vif_name, 'carrier') == '1':
        return
    LOG.warning("Removing tap %(tap)s of vRouter port %(port_id)s: a "
                "persistent tap left behind, that no process holds, would "
                "stop libvirt from starting the guest.",
                {'tap': vif.vif_name, 'port_id': vif.id})
    try:
        nova.privsep.linux_net.delete_net_dev(vif.vif_name)
    except processutils.ProcessExecutionError as ex:
        raise exception.VirtualInterfacePlugException(
            _("Failed to plug vRouter VIF %(port_id)s: cannot remove its "
              "leftover tap %(tap)s: %(cause)s") %
            {'port_id': vif.id, 'tap': vif.vif_name, 'cause': ex}) from ex


class LibvirtVRouterVIFDriver(libvirt_vif.LibvirtGenericVIFDriver):
    """Generic libvirt VIF driver with first-class vRouter support."""

    def __init__(self, host=None):
        super().__init__(host)
        # NOTE: nothing is checked at start: most hosts never see a vRouter
        # port, and a warning there would be noise on every one of them.
        self._vrouter_support_checked = False

    def _check_vrouter_support(self):
        """Warn once, at the first vRouter VIF, if it cannot be plugged.

        Each vRouter VIF then fails with its own typed error; the warning
        says once, where operators look, what the host lacks.
        """
        if self._vrouter_support_checked:
            return
        missing = _missing_plugins()
        if missing is None:
            # os-vif is not initialized yet: check at the next VIF.
            return
        self._vrouter_support_checked = True
        if missing:
            LOG.warning(
                "vRouter ports cannot be plugged on this host: os-vif has "
                "no %(plugins)s plugin. Install the os-vif-vrouter package "
                "in nova-compute's environment and restart nova-compute.",
                {'plugins': ', '.join(repr(name) for name in missing)})

    def get_config(self, instance, vif, image_meta, flavor, virt_type):
        if not model_vrouter.is_vrouter_vif(vif):
            return super().get_config(
                instance, vif, image_meta, flavor, virt_type)
        self._check_vrouter_support()
        return self.get_config_vrouter(
            instance, vif, image_meta, flavor, virt_type)

    def plug(self, instance, vif):
        if not model_vrouter.is_vrouter_vif(vif):
            return super().plug(instance, vif)
        self._check_vrouter_support()
        return self.plug_vrouter(instance, vif)

    def unplug(self, instance, vif):
        if not model_vrouter.is_vrouter_vif(vif):
            return super().unplug(instance, vif)
        self._check_vrouter_support()
        return self.unplug_vrouter(instance, vif)

    def get_config_vrouter(self, instance, vif, image_meta, flavor,
                           virt_type):
        """Build the libvirt interface config of a vRouter VIF.

        The VIF is translated once; its os-vif object is configured by the
        generic driver's own builders for it:

        - VIFGeneric (kernel): ethernet on the tap, with the network's MTU,
          multiqueue, the rx queue size and bandwidth limits;
        - VIFVHostUser (dpdk, offload-virtio-forwarder): vhost-user socket
          with its mode, path, queues and rx/tx queue sizes;
        - VIFHostDevice (offload-direct): hostdev with the VF's PCI address
          and the port's MAC.

        Only one thing differs for the vRouter: vhost-user and hostdev
        interfaces get no <mtu>.  With one, libvirt 9.0 (Debian 12) fails
        to start a vhost-user domain ("Cannot set interface MTU"), and
        libvirt refuses it for hostdev, whose MTU the guest's VF driver
        owns; the guest learns it from the network's DHCP instead.

        :param instance: nova.objects.Instance
        :param vif: nova.network.model.VIF of a vRouter port
        :param image_meta: nova.objects.ImageMeta
        :param flavor: nova.objects.Flavor
        :param virt_type: libvirt virtualization type
        :returns: nova.virt.libvirt.config.LibvirtConfigGuestInterface
        :raises: exception.VRouterVIFInvalid,
            exception.VifDetailsMissingVhostuserSockPath,
            exception.VRouterSupportNotInstalled
        """
        vif_obj = model_vrouter.nova_to_osvif_vif(vif)
        if isinstance(vif_obj, osv_vifs.VIFGeneric):
            return self._get_config_os_vif(
                instance, vif_obj, image_meta, flavor, virt_type,
                vif['vnic_type'])
        # MAC, model, multiqueue and rx queue size, as for any VIF.
        conf = self.get_base_config(
            instance, vif_obj.address, image_meta, flavor, virt_type,
            vif['vnic_type'])
        if isinstance(vif_obj, osv_vifs.VIFVHostUser):
            self._set_config_VIFVHostUser(instance, vif_obj, conf)
        else:
            self._set_config_VIFHostDevice(instance, vif_obj, conf)
        return conf

    def plug_vrouter(self, instance, vif):
        """Register a vRouter VIF with the agent, through os-vif.

        :raises: exception.VRouterPluginNotFound when the vRouter os-vif
            plugin is not installed; exception.VirtualInterfacePlugException
            naming the port and the cause for any other failure
        """
        try:
            vif_obj = model_vrouter.nova_to_osvif_vif(vif)
            if isinstance(vif_obj, osv_vifs.VIFGeneric):
                _remove_leftover_tap(vif_obj)
            os_vif.plug(vif_obj,
                        model_vrouter.nova_to_osvif_instance(instance))
        except osv_exception.NoMatchingPlugin as ex:
            raise exception.VRouterPluginNotFound(
                port_id=vif['id'], plugin=ex.kwargs['plugin_name']) from ex
        except (osv_exception.ExceptionBase,) + _TRANSLATION_ERRORS as ex:
            raise exception.VirtualInterfacePlugException(
                _("Failed to plug vRouter VIF %(port_id)s: %(cause)s") %
                {'port_id': vif['id'], 'cause': _cause(ex)}) from ex

    def unplug_vrouter(self, instance, vif):
        """Remove a vRouter VIF from the agent, through os-vif.

        :raises: exception.VirtualInterfaceUnplugException naming the port
            and the cause
        """
        try:
            vif_obj = model_vrouter.nova_to_osvif_vif(vif)
            os_vif.unplug(vif_obj,
                          model_vrouter.nova_to_osvif_instance(instance))
        except osv_exception.NoMatchingPlugin as ex:
            raise exception.VirtualInterfaceUnplugException(
                reason=_("vRouter VIF %(port_id)s: os-vif has no "
                         "'%(plugin)s' plugin. Install the os-vif-vrouter "
                         "package in nova-compute's environment and restart "
                         "nova-compute.") %
                {'port_id': vif['id'],
                 'plugin': ex.kwargs['plugin_name']}) from ex
        except (osv_exception.ExceptionBase,) + _TRANSLATION_ERRORS as ex:
            raise exception.VirtualInterfaceUnplugException(
                reason=_("vRouter VIF %(port_id)s: %(cause)s") %
                {'port_id': vif['id'], 'cause': _cause(ex)}) from ex
