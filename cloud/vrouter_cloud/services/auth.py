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

"""The services' accounts in their configuration files.

One password for every account of this throw-away cloud
(``Layout.password``); each service has its own user in the ``service``
project, with the admin and service roles (keystone.register).
"""

import os


def account(layout, user):
    """The password credentials of one service's account."""
    return {
        'auth_url': layout.url('keystone', '/v3'),
        'auth_type': 'password',
        'username': user,
        'password': layout.password,
        'project_name': 'service',
        'user_domain_name': 'Default',
        'project_domain_name': 'Default',
    }


def authtoken(layout, user):
    """A [keystone_authtoken] section: the service checks tokens."""
    return dict(account(layout, user),
                www_authenticate_uri=layout.url('keystone', '/v3'),
                memcached_servers='',
                service_token_roles_required=True)


def service_auth(layout, user):
    """A [nova]/[neutron]/[placement] section of one service's account."""
    return dict(account(layout, user), region_name='RegionOne')


def privsep(layout, conf, venv=None):
    """A privsep context's section: no sudo here, the services run as root.

    :param venv: the virtualenv of the service (default: the cloud's)
    """
    helper = (os.path.join(venv, 'bin', 'privsep-helper') if venv
              else layout.bin('privsep-helper'))
    return {'helper_command': '%s --config-file %s' % (helper, conf)}
