"""Where `scoring serve` can be reached from: this computer's LAN addresses, and the lines it
prints at start-up so that whoever sets up a venue knows which address to give tablets (and to
put in SCORING_PUBLIC_URL, which every printed link and QR code then carries). It finds
addresses through the socket module only (no packet is sent) and changes nothing."""

from __future__ import annotations

import ipaddress
import socket

PROBE = "192.0.2.1"  # TEST-NET-1: a UDP socket "connected" to it shows the outgoing interface; nothing is sent


def lan_addresses() -> list[str]:
    """This computer's IPv4 addresses other tablets might reach, outgoing interface first."""
    found: list[str] = []
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect((PROBE, 9))
            found.append(probe.getsockname()[0])
    except OSError:  # no route at all (a laptop with Wi-Fi off)
        pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(str(info[4][0]))
    except OSError:
        pass
    usable = []
    for text in dict.fromkeys(found):
        address = ipaddress.ip_address(text)
        if not (address.is_loopback or address.is_link_local or address.is_unspecified):
            usable.append(text)
    return usable


def serve_banner(host: str, port: int, public_url: str, addresses: list[str]) -> list[str]:
    """What `scoring serve` says about where it can be reached, in Chinese and English."""
    lines = []
    if host in ("0.0.0.0", "::", ""):
        urls = [f"http://{a}:{port}" for a in addresses]
        lines.append("局域网内可通过以下地址访问 / reachable on the local network at:")
        lines += [f"  {u}" for u in urls] or ["  （未找到局域网地址 / no LAN address found: is Wi-Fi on?）"]
    elif _loopback(host):
        lines.append(f"仅本机可访问 / only this computer can reach it: http://{host}:{port}")
        lines.append(
            "现场平板无法访问；在赛场请使用 --host 0.0.0.0 / tablets cannot reach it; at a venue use --host 0.0.0.0"
        )
        if addresses:
            lines.append(f"  （届时地址为 / it would then be at: http://{addresses[0]}:{port}）")
    else:
        lines.append(f"地址 / address: http://{host}:{port}")
    if public_url:
        lines.append(f"打印的链接与二维码使用 / printed links and QR codes use: {public_url}")
    elif addresses and not _loopback(host):
        lines.append(
            "打印评委登录卡前请设置 / before printing the judges' cards set "
            f"SCORING_PUBLIC_URL=http://{addresses[0]}:{port}"
        )
    return lines


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name
        return False
