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

"""The controller's L3 side, as far as Nova and tempest can tell.

Neutron's own L3 router service plugin (routers, external networks,
floating IPs: the API tempest uses) with one change: a floating IP is
ACTIVE as soon as it is given to a port and DOWN when it is not, as with
controllers that program the NAT themselves (the Tungsten Fabric
controller, OVN), instead of waiting for an L3 agent that this cloud
does not run.  The NAT itself is the gateway's (``vrouter_cloud.nat``).
Entry point ``vrouter_test_l3`` in ``neutron.service_plugins``.
"""

from neutron.services.l3_router import l3_router_plugin
from neutron_lib import constants


def _status(floatingip):
    return (constants.FLOATINGIP_STATUS_ACTIVE if floatingip.get('port_id')
            else constants.FLOATINGIP_STATUS_DOWN)


class VRouterTestL3Plugin(l3_router_plugin.L3RouterPlugin):

    def create_floatingip(self, context, floatingip):
        # L3RouterPlugin's own create starts every floating IP DOWN for
        # its agents to raise: skip it for the database mixin's.
        return super(l3_router_plugin.L3RouterPlugin, self).create_floatingip(
            context, floatingip,
            initial_status=_status(floatingip['floatingip']))

    def update_floatingip(self, context, id, floatingip):
        result = super().update_floatingip(context, id, floatingip)
        status = _status(result)
        if result['status'] != status:
            self.update_floatingip_status(context, id, status)
            result['status'] = status
        return result
