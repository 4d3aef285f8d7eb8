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

"""The ssh trust between the nodes, for the disk copies of moving servers.

Nova copies a server's disks to the destination node over ssh and scp as
the user nova-compute runs as (``remote_filesystem_transport = ssh``), to
the destination's ``my_ip``, without a prompt (``BatchMode``).  Made at
``up``, as a deployment tool makes it for nova's user:

- one client key for the cloud's nova-compute processes, authorised on
  every node's sshd;
- a host key per node, all of them in one known-hosts file, so that the
  client checks every host key strictly;
- per node: sshd's configuration (its address, its host key, the
  authorised key, sftp for scp) and the client's (``/etc/ssh/ssh_config``
  in the node's mount namespace: the host's ssh configuration and root's
  home are not touched).
"""

import os
import subprocess

SFTP_SERVER = '/usr/lib/openssh/sftp-server'


class CloudSsh(object):
    """The cloud's keys, in the run directory's ``ssh/``."""

    def __init__(self, layout):
        self.dir = layout.path('ssh')
        self.client_key = os.path.join(self.dir, 'id_ed25519')
        self.authorized_keys = os.path.join(self.dir, 'authorized_keys')
        self.known_hosts = os.path.join(self.dir, 'known_hosts')

    @staticmethod
    def _keygen(path, comment):
        if not os.path.exists(path):
            subprocess.run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '',
                            '-C', comment, '-f', path], check=True)
        with open(path + '.pub') as f:
            return f.read().strip()

    def make(self, nodes):
        """Keys for the client and for each node's sshd.

        :param nodes: the NodeLayouts of the cloud
        """
        os.makedirs(self.dir, mode=0o700, exist_ok=True)
        public = self._keygen(self.client_key, 'nova@vrcloud')
        with open(self.authorized_keys, 'w') as f:
            f.write(public + '\n')
        known = []
        for node in nodes:
            os.makedirs(node.path('ssh'), mode=0o700, exist_ok=True)
            host_key = self._keygen(node.path('ssh', 'host_ed25519_key'),
                                    'root@' + node.name)
            known.append('%s %s\n' % (node.address,
                                      ' '.join(host_key.split()[:2])))
        with open(self.known_hosts, 'w') as f:
            f.writelines(known)

    def write_node_files(self, node):
        """sshd's and the client's configuration of one node."""
        with open(node.path('ssh', 'sshd_config'), 'w') as f:
            f.write('ListenAddress %s\n'
                    'Port 22\n'
                    'HostKey %s\n'
                    'AuthorizedKeysFile %s\n'
                    'PidFile /run/sshd.pid\n'
                    'PermitRootLogin prohibit-password\n'
                    'PasswordAuthentication no\n'
                    'KbdInteractiveAuthentication no\n'
                    'UsePAM no\n'
                    # The keys live in the run directory, whatever its
                    # owner and mode.
                    'StrictModes no\n'
                    'Subsystem sftp %s\n' % (
                        node.address, node.path('ssh', 'host_ed25519_key'),
                        self.authorized_keys, SFTP_SERVER))
        with open(node.path('ssh', 'ssh_config'), 'w') as f:
            f.write('Host *\n'
                    '    IdentityFile %s\n'
                    '    IdentitiesOnly yes\n'
                    '    UserKnownHostsFile %s\n'
                    '    StrictHostKeyChecking yes\n'
                    '    BatchMode yes\n' % (self.client_key,
                                             self.known_hosts))
