"""What `scoring serve` says about where it can be reached (issue 12, item 13)."""

from __future__ import annotations

import ipaddress

from server.addresses import lan_addresses, serve_banner


def test_serving_on_every_interface_lists_the_lan_addresses_and_the_setting_to_print_them():
    lines = serve_banner("0.0.0.0", 8000, "", ["192.168.1.10", "10.0.0.5"])
    assert "  http://192.168.1.10:8000" in lines and "  http://10.0.0.5:8000" in lines
    assert any("SCORING_PUBLIC_URL=http://192.168.1.10:8000" in line for line in lines)


def test_serving_on_this_computer_only_says_tablets_cannot_reach_it_and_how_to_fix_it():
    lines = serve_banner("127.0.0.1", 8000, "", ["192.168.1.10"])
    assert any("only this computer" in line for line in lines)
    assert any("--host 0.0.0.0" in line for line in lines)
    assert not any("SCORING_PUBLIC_URL=" in line for line in lines)


def test_a_set_public_address_is_named_and_a_host_name_is_accepted():
    lines = serve_banner("scores.local", 8000, "http://192.168.1.10:8000", [])
    assert lines == [
        "地址 / address: http://scores.local:8000",
        "打印的链接与二维码使用 / printed links and QR codes use: http://192.168.1.10:8000",
    ]


def test_lan_addresses_are_never_loopback_or_link_local():
    for text in lan_addresses():
        address = ipaddress.ip_address(text)
        assert not (address.is_loopback or address.is_link_local)
