//! Hardware types and link-layer address text as net-tools 2.10 prints
//! them on the `ifconfig`-style line `        ether 02:20:90:f8:37:f3
//! txqueuelen 1000  (Ethernet)`: a short name, the address in the type's
//! own notation, and a title.
//!
//! The table below was derived by running net-tools 2.10 with every
//! `ARPHRD_*` value from 0 to 1100 and 65530 to 65535 and a known address;
//! types it does not know print as `unspec`. net-tools keeps only the
//! first 8 address bytes (zero-padded), so `unspec` shows 8 bytes and 8
//! zeros. Two of its notations are odd and reproduced: IrLAP prints the
//! first 4 bytes in reverse, each as a sign-extended `%02x`, cut to 11
//! characters; DLCI prints the first two bytes as a native `short`. Two
//! are not reproduced: Ash (781) prints bytes from beyond the address and
//! prints here without one, and the byte strings of AX.25, NET/ROM and
//! X.25 addresses are escaped like every name we print.

use crate::render::escape::escape;

/// How a hardware type prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HardwareKind {
    /// Short name (`ether`, `loop`, `unspec`, ...).
    pub name: &'static str,
    /// Title in parentheses (`Ethernet`, `Local Loopback`, ...).
    pub title: &'static str,
    /// Address notation; `None` prints no address.
    notation: Option<Notation>,
}

/// Address notations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Notation {
    /// `count` bytes as two hex digits joined by `separator`.
    Hex { count: usize, separator: &'static str, upper: bool },
    /// AX.25 and NET/ROM call signs: `CALL-SSID`.
    CallSign,
    /// The bytes as a NUL-terminated string (X.25).
    Text,
    /// One byte in upper-case hex (ARCnet).
    Arcnet,
    /// A native-endian `short` (Frame Relay DLCI).
    Dlci,
    /// IrLAP's reversed, sign-extended form.
    Irda,
    /// Nothing at all (IPIP tunnels print an empty address).
    Empty,
}

/// The print rules of an `ARPHRD_*` type.
pub fn hardware_kind(kind: u16) -> HardwareKind {
    let (name, title, notation) = match kind {
        0 => ("netrom", "AMPR NET/ROM", Some(Notation::CallSign)),
        1 => ("ether", "Ethernet", Some(hex(6, ":", false))),
        3 => ("ax25", "AMPR AX.25", Some(Notation::CallSign)),
        7 => ("arcnet", "ARCnet", Some(Notation::Arcnet)),
        15 => ("dlci", "Frame Relay DLCI", Some(Notation::Dlci)),
        27 => ("eui64", "Generic EUI-64", Some(hex(8, ":", true))),
        256 => ("slip", "Serial Line IP", None),
        257 => ("cslip", "VJ Serial Line IP", None),
        258 => ("slip6", "6-bit Serial Line IP", None),
        259 => ("cslip6", "VJ 6-bit Serial Line IP", None),
        264 => ("adaptive", "Adaptive Serial Line IP", None),
        270 => ("rose", "AMPR ROSE", Some(hex(5, "", false))),
        271 => ("x25", "generic X.25", Some(Notation::Text)),
        512 => ("ppp", "Point-to-Point Protocol", None),
        513 => ("hdlc", "(Cisco)-HDLC", None),
        516 => ("lapb", "LAPB", None),
        768 => ("tunnel", "IPIP Tunnel", Some(Notation::Empty)),
        770 => ("frad", "Frame Relay Access Device", None),
        772 => ("loop", "Local Loopback", None),
        774 => (
            "fddi",
            "Fiber Distributed Data Interface",
            Some(hex(6, "-", true)),
        ),
        776 => ("sit", "IPv6-in-IPv4", None),
        780 => ("hippi", "HIPPI", Some(hex(6, ":", true))),
        781 => ("ash", "Ash", None),
        782 => ("ec", "Econet", None),
        783 => ("irda", "IrLAP", Some(Notation::Irda)),
        _ => ("unspec", "UNSPEC", Some(hex(16, "-", true))),
    };
    HardwareKind { name, title, notation }
}

/// True for the compressed serial line types, whose long form adds `RX
/// compressed` and `TX compressed` lines.
pub fn can_compress(kind: u16) -> bool {
    matches!(kind, 257 | 259)
}

fn hex(count: usize, separator: &'static str, upper: bool) -> Notation {
    Notation::Hex { count, separator, upper }
}

impl HardwareKind {
    /// The address text, or `None` when this type prints none.
    pub fn address(&self, bytes: &[u8]) -> Option<String> {
        // net-tools keeps the first 8 bytes and zeros the rest.
        let mut kept = [0u8; 16];
        for (slot, &byte) in kept.iter_mut().zip(bytes.iter().take(8)) {
            *slot = byte;
        }
        let text = match self.notation? {
            Notation::Hex { count, separator, upper } => {
                hex_text(&kept[..count], separator, upper)
            }
            Notation::CallSign => call_sign(&kept),
            Notation::Text => {
                let end = kept.iter().position(|&b| b == 0).unwrap_or(8);
                escape(&kept[..end]).into_owned()
            }
            Notation::Arcnet => format!("{:02X}", kept[0]),
            Notation::Dlci => {
                i16::from_ne_bytes([kept[0], kept[1]]).to_string()
            }
            Notation::Irda => irda(&kept),
            Notation::Empty => String::new(),
        };
        Some(text)
    }
}

/// Bytes as hex pairs joined by `separator`.
fn hex_text(bytes: &[u8], separator: &str, upper: bool) -> String {
    let pairs: Vec<String> = bytes
        .iter()
        .map(|b| if upper { format!("{b:02X}") } else { format!("{b:02x}") })
        .collect();
    pairs.join(separator)
}

/// Six shifted characters up to the first blank, then `-SSID` from the
/// seventh byte when it is not zero; the text ends at a NUL character.
fn call_sign(bytes: &[u8; 16]) -> String {
    let mut text: Vec<u8> = Vec::with_capacity(10);
    for &byte in &bytes[..6] {
        let c = byte >> 1;
        if c == b' ' {
            break;
        }
        text.push(c);
    }
    let ssid = (bytes[6] >> 1) & 0x0f;
    if ssid != 0 {
        text.extend_from_slice(format!("-{ssid}").as_bytes());
    }
    let end = text.iter().position(|&b| b == 0).unwrap_or(text.len());
    escape(&text[..end]).into_owned()
}

/// Bytes 3, 2, 1, 0, each as a sign-extended `%02x`, joined by `:` and
/// cut to 11 characters.
fn irda(bytes: &[u8; 16]) -> String {
    let parts: Vec<String> = bytes[..4]
        .iter()
        .rev()
        .map(|&b| format!("{:02x}", i32::from(b as i8) as u32))
        .collect();
    let mut text = parts.join(":");
    text.truncate(11);
    text
}

#[cfg(test)]
mod tests {
    //! Expected strings observed from net-tools 2.10 (`netstat -iae`)
    //! with the hardware type and address of a device replaced through an
    //! `LD_PRELOAD` shim on `ioctl(SIOCGIFHWADDR)`.

    use super::*;

    const BYTES: [u8; 9] =
        [0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x9a, 0x8b, 0x7c];

    fn address(kind: u16, bytes: &[u8]) -> Option<String> {
        hardware_kind(kind).address(bytes)
    }

    #[test]
    fn hex_notations() {
        assert_eq!(address(1, &BYTES).unwrap(), "ab:cd:ef:fe:dc:ba");
        assert_eq!(address(774, &BYTES).unwrap(), "AB-CD-EF-FE-DC-BA");
        assert_eq!(address(27, &BYTES).unwrap(), "AB:CD:EF:FE:DC:BA:9A:8B");
        assert_eq!(address(780, &BYTES).unwrap(), "AB:CD:EF:FE:DC:BA");
        assert_eq!(address(270, &BYTES).unwrap(), "abcdeffedc");
        assert_eq!(
            address(65534, &BYTES).unwrap(),
            "AB-CD-EF-FE-DC-BA-9A-8B-00-00-00-00-00-00-00-00"
        );
        assert_eq!(
            address(65534, &[]).unwrap(),
            "00-00-00-00-00-00-00-00-00-00-00-00-00-00-00-00"
        );
    }

    #[test]
    fn odd_notations() {
        assert_eq!(address(7, &BYTES).unwrap(), "AB");
        assert_eq!(address(15, &BYTES).unwrap(), "-12885");
        assert_eq!(address(15, &[0x34, 0x12]).unwrap(), "4660");
        assert_eq!(address(783, &BYTES).unwrap(), "fffffffe:ff");
        assert_eq!(
            address(783, &[0x11, 0x22, 0x33, 0x44]).unwrap(),
            "44:33:22:11"
        );
        assert_eq!(address(768, &BYTES).unwrap(), "");
        assert_eq!(address(271, b"ABC\0EFG").unwrap(), "ABC");
    }

    #[test]
    fn call_signs() {
        let ab = [0x82, 0x84, 0x40, 0x86, 0x88, 0xa0, 0xe2];
        assert_eq!(address(3, &ab).unwrap(), "AB-1");
        let full = [0x82, 0x84, 0x86, 0x88, 0x8a, 0x8c, 0x6e];
        assert_eq!(address(0, &full).unwrap(), "ABCDEF-7");
        assert_eq!(address(3, &[0; 8]).unwrap(), "");
    }

    #[test]
    fn types_without_addresses() {
        for kind in [256, 512, 772, 776, 781, 782] {
            assert_eq!(address(kind, &BYTES), None, "type {kind}");
        }
        assert_eq!(hardware_kind(772).name, "loop");
        assert_eq!(hardware_kind(772).title, "Local Loopback");
        assert_eq!(hardware_kind(823).name, "unspec");
        assert!(can_compress(257) && !can_compress(256));
    }
}
