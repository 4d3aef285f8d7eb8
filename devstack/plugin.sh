#!/bin/bash
# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
#
# devstack plugin of os-vif-vrouter: on a compute node (n-cpu enabled),
# installs this distribution into Nova's environment, applies the Nova
# patch series matching the installed Nova to NOVA_DIR, and writes Nova's
# and the plugin's settings.  Enable it in local.conf with
#
#   enable_plugin os-vif-vrouter <git URL of this repository> [branch]
#
# It does not install or configure the vRouter agent, its kernel module or
# DPDK datapath, or the Tungsten Fabric / OpenSDN controller and its
# Neutron plugin: deploy those separately.

# shellcheck source-path=SCRIPTDIR source=lib/os-vif-vrouter
source "$OS_VIF_VROUTER_DIR/devstack/lib/os-vif-vrouter"

if is_service_enabled n-cpu; then
    if [[ "$1" == "stack" && "$2" == "install" ]]; then
        # After install_nova: Nova is in its environment.
        echo_summary "Installing os-vif-vrouter and applying its Nova series"
        install_os_vif_vrouter
        apply_os_vif_vrouter_series
    elif [[ "$1" == "stack" && "$2" == "post-config" ]]; then
        # After create_nova_conf and Nova's rootwrap set-up, before
        # nova-compute starts.
        echo_summary "Configuring Nova for the vRouter"
        configure_os_vif_vrouter
    fi
fi
