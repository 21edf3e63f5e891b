//! Who sent a request, for the limits per client address.

use std::net::{IpAddr, Ipv4Addr};

use actix_web::HttpRequest;
use ipnet::IpNet;

/// The address of the client that sent `request`: the socket's peer, unless the peer is a
/// trusted proxy; then the nearest address of `X-Forwarded-For` that is not a trusted proxy
/// (each proxy appends the address it received the request from, so the entries further
/// left were written by whoever the last untrusted hop was and prove nothing).
pub fn client_address(request: &HttpRequest, trusted: &[IpNet]) -> IpAddr {
    let peer = request
        .peer_addr()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |address| address.ip());
    let forwarded = request
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    nearest_untrusted(peer, &forwarded, trusted)
}

fn nearest_untrusted(peer: IpAddr, forwarded: &[&str], trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |address: &IpAddr| trusted.iter().any(|net| net.contains(address));
    let mut client = peer;
    for hop in forwarded.iter().rev() {
        if !is_trusted(&client) {
            break;
        }
        match hop.parse::<IpAddr>() {
            Ok(address) => client = address,
            // A hop that is no address: the trusted proxy in front of it is the client.
            Err(_) => break,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter()
            .map(|n| n.parse().unwrap_or_else(|_| panic!("{n}")))
            .collect()
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap_or_else(|_| panic!("{text}"))
    }

    #[test]
    fn the_peer_is_the_client_unless_it_is_a_trusted_proxy() {
        let forwarded = ["198.51.100.1"];
        assert_eq!(
            nearest_untrusted(ip("203.0.113.9"), &forwarded, &nets(&["10.0.0.0/8"])),
            ip("203.0.113.9"),
            "an untrusted peer's header is ignored"
        );
        assert_eq!(
            nearest_untrusted(ip("10.1.2.3"), &forwarded, &nets(&["10.0.0.0/8"])),
            ip("198.51.100.1")
        );
        assert_eq!(
            nearest_untrusted(ip("10.1.2.3"), &forwarded, &[]),
            ip("10.1.2.3"),
            "no proxy is trusted by default"
        );
    }

    #[test]
    fn a_forged_entry_left_of_the_real_client_changes_nothing() {
        // The client sent `X-Forwarded-For: 1.2.3.4`; nginx appended its address.
        let forwarded = ["1.2.3.4", "198.51.100.1"];
        assert_eq!(
            nearest_untrusted(ip("10.1.2.3"), &forwarded, &nets(&["10.0.0.0/8"])),
            ip("198.51.100.1")
        );
        // Two trusted proxies in a row.
        let forwarded = ["1.2.3.4", "198.51.100.1", "10.0.0.7"];
        assert_eq!(
            nearest_untrusted(ip("10.1.2.3"), &forwarded, &nets(&["10.0.0.0/8"])),
            ip("198.51.100.1")
        );
        let forwarded = ["garbage"];
        assert_eq!(
            nearest_untrusted(ip("10.1.2.3"), &forwarded, &nets(&["10.0.0.0/8"])),
            ip("10.1.2.3")
        );
    }
}
