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

"""In nova-compute's own interpreter: stock Nova, os-vif, this plugin.

Run by tools/kolla-check with the interpreter of a Kolla-like virtualenv
(not a test module: it prints a JSON report on stdout).  Stock Nova's
os_vif_util translates the bindings of a JSON file (written from
vrouter_bindings.py by tools/kolla-check: this interpreter may not have
os_vif_translate); os_vif.initialize() loads the plugins of the
interpreter's os_vif entry points, from nova-compute's configuration
options ([os_vif_vrouter] in a configuration file, as nova.conf would have
them); os_vif.plug and os_vif.unplug then go to whichever plugin os-vif
picked, against the stand-in agent in a process of its own.  The
privileged calls run in this process (privsep's client mode off): the
port directory is a temporary one.  The stand-in runs with the
interpreter given as the first argument (one that has this repository:
nova-compute's may not have the plugin yet).

    KOLLA_PYTHON stock_nova_plug.py STAND_IN_PYTHON BINDINGS_JSON

BINDINGS_JSON: {"bindings": {name: legacy VIF dict}, "instance": {...}}.

Report: the os_vif entry points with the distribution of each, the
plugins os-vif loaded, and for each binding its plugin name and what plug
and unplug did ("ok", or the exception), and whether the agent had the
port after each.
"""

import importlib.metadata
import json
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request


def os_vif_entry_points():
    """[(name, value, distribution)] (the Python 3.9 API: no ep.dist)."""
    found = []
    for dist in importlib.metadata.distributions():
        for ep in dist.entry_points:
            if ep.group == 'os_vif':
                found.append((ep.name, ep.value, dist.metadata['Name']))
    return sorted(found)


def _start_stand_in(python, port_dir):
    process = subprocess.Popen(
        [python, '-m', 'vrouter_testing.agent_stand_in',
         port_dir], stdout=subprocess.PIPE, universal_newlines=True)
    line = process.stdout.readline()
    if not line.startswith('listening '):
        process.kill()
        raise RuntimeError('the stand-in agent did not start: %r' % line)
    return process, int(line.split()[1])


def _agent_has(agent_port, port_id):
    url = 'http://127.0.0.1:%d/port/%s' % (agent_port, port_id)
    try:
        with urllib.request.urlopen(url, timeout=10):
            return True
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return False
        raise


def _outcome(call, *args):
    try:
        call(*args)
    except Exception as exc:
        return '%s: %s' % (type(exc).__name__, exc)
    return 'ok'


def main():
    from nova.network import model
    from nova.network import os_vif_util
    from nova import objects
    import nova.version
    import os_vif
    from oslo_config import cfg

    with open(sys.argv[2]) as f:
        given = json.load(f)
    report = {'nova': nova.version.version_string(),
              'python': '%d.%d' % sys.version_info[:2],
              'prefix': sys.prefix,
              'entry_points': os_vif_entry_points()}
    tmp = tempfile.mkdtemp(prefix='kolla-check-')
    port_dir = os.path.join(tmp, 'ports')
    os.mkdir(port_dir)
    stand_in, agent_port = _start_stand_in(sys.argv[1], port_dir)
    try:
        conf_file = os.path.join(tmp, 'nova.conf')
        with open(conf_file, 'w') as f:
            # As Kolla's nova.conf: the plugin locks each port in
            # nova-compute's lock_path.
            f.write('[os_vif_vrouter]\nagent_port = %d\nport_dir = %s\n'
                    'agent_read_timeout = 5\n'
                    '[oslo_concurrency]\nlock_path = %s\n'
                    % (agent_port, port_dir, os.path.join(tmp, 'lock')))
        cfg.CONF(['--config-file', conf_file], project='nova')
        objects.register_all()
        os_vif.initialize()
        report['loaded'] = sorted(
            p.plugin_name for p in os_vif.host_info().plugin_info)
        try:
            from os_vif_vrouter import privsep
            privsep.vif_plug.set_client_mode(False)
        except ImportError:
            pass  # not installed: os-vif has no vRouter plugin of ours
        instance = os_vif_util.nova_to_osvif_instance(
            objects.Instance(**given['instance']))
        report['bindings'] = {}
        for name, binding in sorted(given['bindings'].items()):
            vif = os_vif_util.nova_to_osvif_vif(model.VIF.hydrate(binding))
            port_file = os.path.join(port_dir, vif.id)
            result = {'plugin': vif.plugin,
                      'plug': _outcome(os_vif.plug, vif, instance)}
            result['after_plug'] = {
                'agent': _agent_has(agent_port, vif.id),
                'port_file': os.path.exists(port_file)}
            result['unplug'] = _outcome(os_vif.unplug, vif, instance)
            result['after_unplug'] = {
                'agent': _agent_has(agent_port, vif.id),
                'port_file': os.path.exists(port_file)}
            report['bindings'][name] = result
    finally:
        stand_in.terminate()
        stand_in.wait(timeout=30)
    json.dump(report, sys.stdout, indent=1, sort_keys=True)
    print()


if __name__ == '__main__':
    main()
