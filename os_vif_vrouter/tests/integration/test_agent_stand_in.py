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

"""The stand-in agent follows the agent's rules (real HTTP on loopback).

These tests use raw http.client, not the plugin's client, so that what is
checked is the stand-in itself.
"""

import errno
import http.client
import json
import os

import fixtures
from vrouter_testing import agent_stand_in

from os_vif_vrouter.tests import base

PORT = '5ac0a8a5-7d5c-4e34-a5ae-6b4d2bb7cd9b'
INSTANCE = 'd3b4ebd8-8f47-4b5a-9a7b-1c2d3e4f5a6b'
OTHER_INSTANCE = 'e4c5fce9-9058-4c6b-8b8c-2d3e4f5a6b7c'
NETWORK = '7e2f4c1a-0b9d-4f7e-8c6a-5d4e3f2a1b0c'


def port_json(**changes):
    port = {
        'id': PORT, 'instance-id': INSTANCE, 'ip-address': '10.0.0.5',
        'ip6-address': '::', 'vn-id': NETWORK, 'display-name': 'vm',
        'vm-project-id': '', 'mac-address': 'fa:16:3e:12:34:56',
        'system-name': 'tap5ac0a8a5-7d', 'type': 0, 'rx-vlan-id': -1,
        'tx-vlan-id': -1, 'author': 'test', 'time': 'now',
    }
    port.update(changes)
    return port


class StandInTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.stand_in = self.useFixture(base.StandIn())
        self.agent = self.stand_in.agent
        self.conn = http.client.HTTPConnection('127.0.0.1', self.agent.port,
                                               timeout=5)
        self.addCleanup(self.conn.close)

    def request(self, method, path, body=None):
        if body is not None and not isinstance(body, (str, bytes)):
            body = json.dumps(body)
        self.conn.request(method, path, body=body)
        response = self.conn.getresponse()
        data = response.read()
        return response, data

    def assertRefused(self, body, message):
        response, data = self.request('POST', '/port', body)
        self.assertEqual(500, response.status)
        self.assertEqual({'error': '{ %s }' % message}, json.loads(data))
        self.assertEqual({}, self.agent.ports())


class TestHttp(StandInTestCase):

    def test_success_answer(self):
        response, data = self.request('POST', '/port', port_json())
        self.assertEqual(200, response.status)
        self.assertEqual('OK', response.reason)
        self.assertEqual(b'{}', data)
        self.assertEqual('application/json; charset=UTF-8',
                         response.getheader('Content-Type'))
        self.assertEqual('2', response.getheader('Content-Length'))
        self.assertEqual(['Content-Type', 'Content-Length'],
                         [name for name, _ in response.getheaders()])

    def test_error_reason_is_ok(self):
        response, data = self.request('POST', '/port', '{')
        self.assertEqual(500, response.status)
        self.assertEqual('OK', response.reason)
        self.assertEqual({'error': '{ Invalid Json string ==> { }'},
                         json.loads(data))

    def test_keep_alive(self):
        self.request('GET', '/port/' + PORT)
        sock = self.conn.sock
        self.request('GET', '/port/' + PORT)
        self.assertIs(sock, self.conn.sock)

    def test_unknown_paths_and_methods(self):
        for method, path in (('GET', '/'), ('GET', '/ports'),
                             ('POST', '/port/'), ('PUT', '/port'),
                             ('GET', '/port'), ('DELETE', '/port'),
                             ('PATCH', '/port/' + PORT),
                             ('POST', '/port/' + PORT),
                             ('DELETE', '/port/' + PORT.upper()),
                             ('GET', '/port/' + PORT[:-1]),
                             ('GET', '/port/' + PORT + '/x'),
                             ('DELETE', '/port/%7B' + PORT + '%7D'),
                             ('BREW', '/port')):
            response, data = self.request(method, path)
            self.assertEqual(404, response.status, (method, path))
            self.assertEqual('OK', response.reason)
            self.assertEqual({'error': 'Unknown Request'}, json.loads(data))


class TestAddChecks(StandInTestCase):

    def test_every_mandatory_key(self):
        data_keys = ('id', 'instance-id', 'vn-id', 'vm-project-id')
        for key in port_json():
            body = port_json()
            del body[key]
            word = 'data' if key in data_keys else 'field'
            self.assertRefused(body, 'Invalid or missing %s for <%s>'
                               % (word, key))

    def test_null_refused(self):
        for key in port_json():
            response, _ = self.request('POST', '/port',
                                       port_json(**{key: None}))
            self.assertEqual(500, response.status, key)
        self.assertEqual({}, self.agent.ports())
        for key in ('vhostuser-mode', 'link-state'):
            response, _ = self.request('POST', '/port',
                                       port_json(**{key: None}))
            self.assertEqual(500, response.status, key)

    def test_exact_json_types(self):
        self.assertRefused(port_json(type=True),
                           'Invalid or missing field for <type>')
        self.assertRefused(port_json(type=0.0),
                           'Invalid or missing field for <type>')
        self.assertRefused(port_json(type='0'),
                           'Invalid or missing field for <type>')
        self.assertRefused(port_json(**{'rx-vlan-id': False}),
                           'Invalid or missing field for <rx-vlan-id>')
        self.assertRefused(port_json(**{'tx-vlan-id': 2 ** 31}),
                           'Invalid or missing field for <tx-vlan-id>')
        self.assertRefused(port_json(**{'vhostuser-mode': True}),
                           'Invalid or missing field for <vhostuser-mode>')
        self.assertRefused(port_json(**{'display-name': 1}),
                           'Invalid or missing field for <display-name>')
        self.assertRefused(port_json(**{'ip-address': ['10.0.0.5']}),
                           'Invalid or missing field for <ip-address>')

    def test_nil_or_malformed_vn(self):
        self.assertRefused(
            port_json(**{'vn-id': '00000000-0000-0000-0000-000000000000'}),
            'Invalid VN uuid')
        self.assertRefused(port_json(**{'vn-id': 'not-a-uuid'}),
                           'Invalid VN uuid')

    def test_nil_vn_allowed_for_namespace_port(self):
        response, _ = self.request('POST', '/port', port_json(
            type=1, **{'vn-id': '00000000-0000-0000-0000-000000000000'}))
        self.assertEqual(200, response.status)

    def test_mac(self):
        for mac in ('00:00:00:00:00:00', 'fa-16-3e-12-34-56', 'fa:16:3e:12:34',
                    'fa:16:3e:12:34:56:78', 'zz:16:3e:12:34:56', ''):
            self.assertRefused(port_json(**{'mac-address': mac}),
                               'Invalid MAC, Use xx:xx:xx:xx:xx:xx format')

    def test_project_and_ids(self):
        self.assertRefused(port_json(**{'vm-project-id': 'admin'}),
                           'Invalid or missing data for <vm-project-id>')
        self.assertRefused(port_json(id='x'),
                           'Invalid or missing data for <id>')
        response, _ = self.request('POST', '/port', port_json(
            **{'vm-project-id': NETWORK}))
        self.assertEqual(200, response.status)

    def test_not_an_object(self):
        response, data = self.request('POST', '/port', '"a port"')
        self.assertEqual(500, response.status)
        self.assertEqual({'error': '{ Unexpected Json string ==> "a port" }'},
                         json.loads(data))


class TestPorts(StandInTestCase):

    def file(self, port_id=PORT):
        return os.path.join(self.stand_in.port_dir, port_id)

    def test_get_404_until_added(self):
        response, data = self.request('GET', '/port/' + PORT)
        self.assertEqual(404, response.status)
        self.assertEqual({'error': '{ Not Found }'}, json.loads(data))
        self.request('POST', '/port', port_json())
        response, data = self.request('GET', '/port/' + PORT)
        self.assertEqual(200, response.status)
        self.assertEqual(port_json(), json.loads(data))

    def test_add_writes_file_only_if_absent(self):
        with open(self.file(), 'w') as f:
            f.write('previous')
        self.request('POST', '/port', port_json())
        with open(self.file()) as f:
            self.assertEqual('previous', f.read())
        os.unlink(self.file())
        body = json.dumps(port_json(), indent=1)
        self.request('DELETE', '/port/' + PORT)
        self.request('POST', '/port', body)
        with open(self.file()) as f:
            self.assertEqual(body, f.read())

    def _full_disk(self, exhausted):
        """os, as the stand-in sees it, on a full disk: creating a file
        fails too when exhausted (no inode left), else only writing does.
        """
        real_open = os.open

        def fake_open(path, *args, **kwargs):
            if (exhausted and not os.path.exists(path) and
                    str(path).startswith(self.stand_in.port_dir)):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real_open(path, *args, **kwargs)

        def fake_write(fd, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        self.useFixture(fixtures.MockPatchObject(agent_stand_in.os, 'open',
                                                 fake_open))
        self.useFixture(fixtures.MockPatchObject(agent_stand_in.os, 'write',
                                                 fake_write))

    def test_full_disk_when_writing_leaves_an_empty_file(self):
        # As the agent, which does not check its stream: the port is
        # added, its file is what could be written.
        self._full_disk(exhausted=False)
        response, data = self.request('POST', '/port', port_json())
        self.assertEqual((200, b'{}'), (response.status, data))
        self.assertEqual({PORT: port_json()}, self.agent.ports())
        with open(self.file()) as f:
            self.assertEqual('', f.read())

    def test_a_file_that_cannot_be_created_refuses_the_port(self):
        self._full_disk(exhausted=True)
        self.assertRefused(port_json(),
                           'Writing of Json string to file failed for %s' %
                           PORT)
        self.assertFalse(os.path.exists(self.file()))
        # In an array: the ports before it stay, none after it is added.
        second = '6bd1b9b6-8e6d-4f45-b6bf-7c5e3cc8de0c'
        with open(self.file(), 'w') as f:
            f.write('{}')  # the first one's file exists: not written again
        response, data = self.request('POST', '/port',
                                      [port_json(), port_json(id=second)])
        self.assertEqual((200, b'{}'), (response.status, data))
        self.assertEqual({PORT}, set(self.agent.ports()))

    def test_delete(self):
        self.request('POST', '/port', port_json())
        response, data = self.request('DELETE', '/port/' + PORT)
        self.assertEqual((200, b'{}'), (response.status, data))
        self.assertEqual({}, self.agent.ports())
        self.assertFalse(os.path.exists(self.file()))
        response, data = self.request('DELETE', '/port/' + PORT)
        self.assertEqual((200, b'{}'), (response.status, data))

    def test_readd_same_instance_only_bumps_version(self):
        self.request('POST', '/port', port_json())
        changed = port_json(**{'system-name': 'tapother', 'ip-address':
                               '10.0.0.6', 'mac-address': 'fa:16:3e:00:00:01',
                               'display-name': 'renamed'})
        response, _ = self.request('POST', '/port', changed)
        self.assertEqual(200, response.status)
        self.assertEqual(2, self.agent.version(PORT))
        self.assertEqual({PORT: port_json()}, self.agent.ports())
        self.request('DELETE', '/port/' + PORT)
        self.request('POST', '/port', changed)
        self.assertEqual({PORT: changed}, self.agent.ports())
        self.assertEqual(1, self.agent.version(PORT))

    def test_other_instance_replaces(self):
        self.request('POST', '/port', port_json())
        moved = port_json(**{'instance-id': OTHER_INSTANCE,
                             'system-name': 'tapother'})
        self.request('POST', '/port', moved)
        self.assertEqual({PORT: moved}, self.agent.ports())
        self.assertEqual(1, self.agent.version(PORT))

    def test_array_all_or_none(self):
        second = '6bd1b9b6-8e6d-4f45-b6bf-7c5e3cc8de0c'
        good = [port_json(), port_json(id=second)]
        bad = [port_json(), port_json(id=second, type='0')]
        response, data = self.request('POST', '/port', bad)
        # The agent answers 200 {} and adds none.
        self.assertEqual((200, b'{}'), (response.status, data))
        self.assertEqual({}, self.agent.ports())
        self.assertEqual([], os.listdir(self.stand_in.port_dir))
        response, _ = self.request('POST', '/port', [port_json(), 'x'])
        self.assertEqual({}, self.agent.ports())
        response, _ = self.request('POST', '/port', good)
        self.assertEqual(200, response.status)
        self.assertEqual({PORT, second}, set(self.agent.ports()))
        self.assertEqual({PORT, second},
                         set(os.listdir(self.stand_in.port_dir)))

    def test_enable_disable_esxi_only(self):
        response, data = self.request('PUT', '/enable-port/' + PORT)
        self.assertEqual(500, response.status)
        self.assertEqual({'error': 'Port Not found ' + PORT},
                         json.loads(data))
        self.request('POST', '/port', port_json())
        response, data = self.request('PUT', '/disable-port/' + PORT)
        self.assertEqual({'error': 'Incorrect Port type for ' + PORT},
                         json.loads(data))
        self.request('DELETE', '/port/' + PORT)
        self.request('POST', '/port', port_json(type=2))
        response, _ = self.request('PUT', '/enable-port/' + PORT)
        self.assertEqual(200, response.status)
        self.assertEqual(1, self.agent.ports()[PORT]['link-state'])


class TestLifeCycle(base.TestCase):

    def setUp(self):
        super().setUp()
        self.devices = {'tap5ac0a8a5-7d'}
        self.stand_in = self.useFixture(base.StandIn(
            start=False, device_exists=self.devices.__contains__,
            stale_timeout=0.05))
        self.agent = self.stand_in.agent

    def write(self, name, content):
        with open(os.path.join(self.stand_in.port_dir, name), 'w') as f:
            f.write(content)

    def test_refused_until_started(self):
        conn = http.client.HTTPConnection('127.0.0.1', self.agent.port)
        self.assertRaises(ConnectionRefusedError, conn.connect)
        self.agent.start(delay=0.01)
        self.assertTrue(self.agent.wait_listening())
        conn.connect()
        conn.close()

    def test_replay(self):
        second = '6bd1b9b6-8e6d-4f45-b6bf-7c5e3cc8de0c'
        third = '7ce2cac7-9f7e-4056-87c0-8d6f4dd9ef1d'
        fourth = '8df3dbd8-a08f-4167-98d1-9e705eea0f2e'
        self.write(PORT, json.dumps(port_json()))
        # Its tap does not exist: skipped, and never retried.
        self.write(second, json.dumps(port_json(
            id=second, **{'system-name': 'tapgone'})))
        self.write(third, '')  # a truncated file
        self.write(fourth, json.dumps(port_json(id=fourth, type=True)))
        self.write('.%s.1234.tmp' % PORT, '{')  # not a UUID: ignored
        self.write('README', 'x')
        self.agent.start()
        self.assertEqual([PORT], self.agent.replayed)
        self.assertEqual({PORT: port_json()}, self.agent.ports())
        self.assertEqual(
            [second, third, fourth],
            [name for name, _ in self.agent.replay_skipped])
        self.assertEqual('Interface does not exist in OS',
                         self.agent.replay_skipped[0][1])
        # The replay writes nothing and deletes nothing.
        self.assertEqual(6, len(os.listdir(self.stand_in.port_dir)))
        self.devices.add('tapgone')
        self.assertNotIn(second, self.agent.ports())

    def test_restart_forgets_ports_keeps_files(self):
        self.agent.start()
        client = self.stand_in.client()
        client.add_port(json.dumps(port_json()))
        self.agent.stop()
        self.assertEqual({}, self.agent.ports())
        self.assertEqual([PORT], os.listdir(self.stand_in.port_dir))
        self.agent.start()
        self.assertEqual({PORT: port_json()}, self.agent.ports())

    def test_syncports_cleans_stale_ports(self):
        second = '6bd1b9b6-8e6d-4f45-b6bf-7c5e3cc8de0c'
        self.agent.stale_timeout = 3600
        self.agent.start()
        client = self.stand_in.client()
        client.add_port(json.dumps(port_json()))
        client.add_port(json.dumps(port_json(id=second)))
        client.sync_ports()
        client.add_port(json.dumps(port_json()))  # added again: kept
        timer = self.agent._stale_timer
        timer.cancel()
        self.agent._clean_stale(timer.args[0])
        self.assertEqual({PORT}, set(self.agent.ports()))
        self.assertEqual([PORT], os.listdir(self.stand_in.port_dir))

    def test_fail_mode_error(self):
        self.assertRaises(ValueError, self.agent.set_fail_mode, 'sometimes')
        self.agent.set_fail_mode(agent_stand_in.FAIL_ERROR)
        self.agent.start()
        conn = http.client.HTTPConnection('127.0.0.1', self.agent.port)
        self.addCleanup(conn.close)
        conn.request('DELETE', '/port/' + PORT)
        response = conn.getresponse()
        self.assertEqual(500, response.status)
        self.assertEqual({'error': '{ Internal error (fail mode) }'},
                         json.loads(response.read()))

    def test_given_listening_port(self):
        # The test cloud's agent listens on a port of its configuration.
        with agent_stand_in.AgentStandIn(self.stand_in.port_dir) as first:
            port = first.port
        with agent_stand_in.AgentStandIn(self.stand_in.port_dir,
                                         port=port) as agent:
            self.assertEqual(port, agent.port)
            agent.start()
            conn = http.client.HTTPConnection('127.0.0.1', port)
            self.addCleanup(conn.close)
            conn.request('GET', '/port/' + PORT)
            self.assertEqual(404, conn.getresponse().status)
