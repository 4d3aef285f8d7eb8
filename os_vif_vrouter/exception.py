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

"""Typed errors of the vRouter os-vif plugin.

Every class formats its ``msg_fmt`` with the keyword arguments given at
the raise site (os-vif's ``ExceptionBase``); a unit test parses every
raise site of this package and checks the keywords against the template.
Errors about one port name it, so that the message Nova records in the
instance fault is enough to find the port.

A port id or a device name the plugin is given is checked as the
translation library checks it, and refused with its error
(``os_vif_translate.exception.InvalidPortId``, ``InvalidDeviceName``):
one definition for both packages.  :data:`PLUGIN_ERRORS` is every typed
error the plugin raises.

What ``plug`` and ``unplug`` raise are :class:`VRouterPlugError` and
:class:`VRouterUnplugError`, subclasses of os-vif's ``PlugException`` and
``UnplugException``, with the original typed error as ``__cause__`` and
in the ``error`` attribute.
"""

import typing as ty

from os_vif import exception as osv_exception

from os_vif_translate import exception as osvt_exception


class VRouterException(osv_exception.ExceptionBase):
    """Base class of the plugin's own errors (not raised itself)."""


# Invalid input: what we were asked to plug cannot be sent to the agent.

class InvalidPortData(VRouterException):
    msg_fmt = 'Invalid data for vRouter port %(port_id)s: %(reason)s'


class InvalidPortDirectory(VRouterException):
    msg_fmt = 'Invalid port file directory %(path)r: %(reason)s'


class UnsupportedVIF(VRouterException):
    msg_fmt = ('Port %(port_id)s: the vRouter plugin does not handle '
               '%(vif_type)s objects (supported: %(supported)s)')


class WrongPortProfile(VRouterException):
    msg_fmt = ('Port %(port_id)s: port profile %(profile)s is not one the '
               'vRouter plugin supports for %(vif_type)s (expected: '
               '%(expected)s)')


class MissingPortProfile(VRouterException):
    msg_fmt = ('Port %(port_id)s: a %(vif_type)s needs a port profile with '
               'a DatapathOffloadRepresentor (which VF to plug)')


# Host side.

class RepresentorNotFound(VRouterException):
    msg_fmt = ('Port %(port_id)s: no representor netdev found for VF '
               '%(vf_address)s (looked in %(looked_in)s)')


class RepresentorLookupError(VRouterException):
    msg_fmt = ('Cannot look up the representor of VF %(vf_address)s in '
               '%(path)s: %(reason)s')


class NetworkDeviceNotFound(VRouterException):
    msg_fmt = 'Network device %(device)s does not exist'


class NetworkDeviceError(VRouterException):
    msg_fmt = 'Cannot %(action)s network device %(device)s: %(reason)s'


class PortFileError(VRouterException):
    # The reason before the path: Nova keeps 255 characters of a boot's
    # fault, and the plug's messages name the port twice before this one.
    msg_fmt = 'Cannot %(action)s port file (%(reason)s): %(path)s'


class LockPathNotSet(VRouterException):
    msg_fmt = ('Port %(port_id)s: cannot lock the port across processes: '
               '[oslo_concurrency] lock_path is not set (nova-compute, '
               'vrouter-port-control and vrouter-port-audit must read the '
               'same one)')


class PortLockError(VRouterException):
    msg_fmt = ('Port %(port_id)s: cannot take its lock in %(path)s: '
               '%(reason)s')


class VhostUserSocketTimeout(VRouterException):
    msg_fmt = ('Port %(port_id)s: the vRouter did not create vhost-user '
               'socket %(path)s within %(timeout).1f s')


# The agent.

class AgentError(VRouterException):
    """Base class of the errors talking to the vRouter agent."""


class AgentUnavailable(AgentError):
    """The request got no answer: the outcome at the agent is unknown,
    except for AgentNotRunning and AgentNotReady (nothing reached it).
    """


class AgentNotRunning(AgentUnavailable):
    msg_fmt = ('The vRouter agent at %(address)s refused the connection '
               '(%(request)s): it is not running, or still initialising')


class AgentNotReady(AgentUnavailable):
    msg_fmt = ('The vRouter agent at %(address)s still refused connections '
               'after %(waited).1f s')


class AgentRecentlyDown(AgentUnavailable):
    msg_fmt = ('The vRouter agent at %(address)s still refuses connections; '
               'a wait of %(waited).1f s for it gave up %(ago).1f s ago, so '
               'this plug does not wait again ([os_vif_vrouter] '
               'agent_down_memory)')


class AgentListenerNotTrusted(AgentUnavailable):
    """Nothing was sent: the connection was not the agent's."""
    msg_fmt = ('Refusing to talk to %(address)s (%(request)s): %(reason)s '
               '(see [os_vif_vrouter] agent_listener_check and '
               'agent_listener_uid)')


class AgentUnreachable(AgentUnavailable):
    msg_fmt = ('Cannot connect to the vRouter agent at %(address)s '
               '(%(request)s): %(reason)s')


class AgentConnectionLost(AgentUnavailable):
    msg_fmt = ('The connection to the vRouter agent at %(address)s was lost '
               'during %(request)s: %(reason)s')


class AgentTimeout(AgentUnavailable):
    msg_fmt = ('The vRouter agent at %(address)s did not answer '
               '%(request)s within %(timeout).1f s')


class AgentRequestFailed(AgentError):
    msg_fmt = ('The vRouter agent at %(address)s answered %(status)d to '
               '%(request)s: %(error)s')

    @property
    def status(self) -> int:
        """The HTTP status code the agent answered."""
        return self.kwargs['status']

    @property
    def agent_message(self) -> str:
        """The agent's error message, without its '{ ... }' wrapping."""
        return self.kwargs['error']


# What plug and unplug raise, for os-vif and Nova.

class PluginMisconfigured(VRouterException):
    msg_fmt = ('The vRouter os-vif plugin is misconfigured ([%(group)s]): '
               '%(reason)s')


class AuditSourceError(VRouterException):
    msg_fmt = 'Cannot read the domains of %(source)s: %(reason)s'


# Every typed error of the plugin: its own, and the translation library's
# for a port id or device name.
PLUGIN_ERRORS = (VRouterException, osvt_exception.TranslationError)


class VRouterPlugError(osv_exception.PlugException):
    msg_fmt = 'Failed to plug vRouter port %(port_id)s: %(reason)s'

    @property
    def error(self) -> ty.Optional[BaseException]:
        """The typed error that made the plug fail."""
        return self.__cause__


class VRouterUnplugError(osv_exception.UnplugException):
    msg_fmt = 'Failed to unplug vRouter port %(port_id)s: %(reason)s'

    @property
    def error(self) -> ty.Optional[BaseException]:
        """The typed error that made the unplug fail."""
        return self.__cause__
