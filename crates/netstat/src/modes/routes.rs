//! The routing view (`-r`): one table per family named on the command
//! line (`-A inet,inet6`, `-4`, `-6`; IPv4 when none is), in that order,
//! repeats included; for each, the FIB (`-F`, the default) and then the
//! cache (`-C`).
//!
//! As in net-tools 2.10, the run stops at the first family that cannot be
//! shown: a missing kernel table prints the C library's error and
//! "INET (IPv4) not configured in this system." (status 1); a family
//! without routes prints net-tools' refusal (status 3); the legacy
//! families print their own "not configured" texts (status 1). The
//! command line layer refuses a first family without routes before any
//! output; the ones after it are refused here, after the tables before
//! them.
//!
//! Names: `-n`, `--numeric-hosts` and `-N` print numbers. Host names are
//! looked up in parallel under one deadline and kept across `-c` rounds,
//! like network names (`/etc/networks`, for route destinations).

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};
use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;
use std::time::Duration;

use netstat_core::model::Ipv6Route;
use netstat_core::render::classic::Naming;
use netstat_core::render::classic::route::{
    self, Lookup, RouteNames, RouteStyle,
};
use netstat_core::resolve;
use netstat_core::source::route::RouteSource;
use netstat_core::source::{SourceError, Table};

use super::Status;
use crate::messages;
use crate::settings::Settings;

/// How long host lookups may take in all before numbers print instead.
const LOOKUP_DEADLINE: Duration = Duration::from_secs(2);

/// State kept across the rounds of `-c`: the name caches.
pub struct Routes {
    source: RouteSource,
    hosts: HashMap<IpAddr, String>,
    looked_up: HashSet<IpAddr>,
    networks: HashMap<Ipv4Addr, String>,
    networks_looked_up: HashSet<Ipv4Addr>,
}

/// What one family of the list does.
enum Family<'a> {
    /// `inet`: the IPv4 FIB and cache.
    Inet,
    /// `inet6`: the IPv6 FIB and cache.
    Inet6,
    /// A family net-tools knows but has no routes for.
    NoRouting(&'a str),
    /// A family net-tools was built without.
    Unsupported(&'a str),
    /// A legacy family whose kernel tables are gone.
    Legacy(&'a str),
}

impl Routes {
    /// Prepares the view for `settings`.
    pub fn new(settings: &Settings) -> Routes {
        Routes {
            source: RouteSource::new(&settings.proc_root),
            hosts: HashMap::new(),
            looked_up: HashSet::new(),
            networks: HashMap::new(),
            networks_looked_up: HashSet::new(),
        }
    }

    /// Prints every selected table once and returns the exit status.
    pub fn run(
        &mut self,
        settings: &Settings,
        out: &mut impl Write,
    ) -> io::Result<Status> {
        for name in families(settings) {
            let status = match family(name) {
                Family::Inet => self.inet(settings, out)?,
                Family::Inet6 => self.inet6(settings, out)?,
                Family::NoRouting(name) => no_routing(out, name),
                Family::Unsupported(name) => unsupported(out, name),
                Family::Legacy(name) => legacy(settings, out, name)?,
            };
            if status != 0 {
                return Ok(status);
            }
        }
        Ok(0)
    }

    /// The IPv4 FIB and cache, as selected.
    fn inet(
        &mut self,
        settings: &Settings,
        out: &mut impl Write,
    ) -> io::Result<Status> {
        let style = RouteStyle::from_extend(settings.extend);
        if wants_fib(settings) {
            let table = match self.source.ipv4() {
                Ok(table) => table,
                Err(error) => {
                    return not_configured(out, &error, "INET (IPv4)");
                }
            };
            let wanted = table.rows.iter().flat_map(route::ipv4_lookups);
            self.look_up(settings, wanted.collect());
            let names = self.names(settings);
            route::ipv4_title(out)?;
            route::ipv4_header(out, style)?;
            for row in &table.rows {
                route::ipv4_row(out, row, &names, style)?;
            }
        }
        if settings.cache {
            return self.inet_cache(settings, style, out);
        }
        Ok(0)
    }

    /// The IPv4 route cache (empty since Linux 3.6).
    fn inet_cache(
        &mut self,
        settings: &Settings,
        style: RouteStyle,
        out: &mut impl Write,
    ) -> io::Result<Status> {
        let table = match self.source.ipv4_cache() {
            Ok(table) => table,
            Err(error) => return not_configured(out, &error, "INET (IPv4)"),
        };
        let wanted = table.rows.iter().flat_map(route::ipv4_cache_lookups);
        self.look_up(settings, wanted.collect());
        let names = self.names(settings);
        route::ipv4_cache_title(out)?;
        route::ipv4_cache_header(out, style)?;
        for row in &table.rows {
            route::ipv4_cache_row(out, row, &names, style)?;
        }
        Ok(0)
    }

    /// The IPv6 FIB and cache, as selected; `-e` has no effect here.
    fn inet6(
        &mut self,
        settings: &Settings,
        out: &mut impl Write,
    ) -> io::Result<Status> {
        let views = [(wants_fib(settings), false), (settings.cache, true)];
        for (wanted, cached) in views {
            if !wanted {
                continue;
            }
            let table = match self.source.ipv6() {
                Ok(table) => table,
                Err(error) => {
                    return not_configured(out, &error, "INET6 (IPv6)");
                }
            };
            self.inet6_table(settings, &table, cached, out)?;
        }
        Ok(0)
    }

    /// One IPv6 view: the routes with `RTF_CACHE` or those without.
    fn inet6_table(
        &mut self,
        settings: &Settings,
        table: &Table<Ipv6Route>,
        cached: bool,
        out: &mut impl Write,
    ) -> io::Result<()> {
        let rows: Vec<&Ipv6Route> = table
            .rows
            .iter()
            .filter(|row| route::ipv6_is_cached(row) == cached)
            .collect();
        let wanted = rows.iter().flat_map(|row| route::ipv6_lookups(row));
        self.look_up(settings, wanted.map(Lookup::Host).collect());

        // Title, header, rows.
        if cached {
            route::ipv6_cache_title(out)?;
        } else {
            route::ipv6_title(out)?;
        }
        route::ipv6_header(out)?;
        let hosts = named(settings).then_some(&self.hosts);
        let naming = Naming { hosts, services: None };
        for row in rows {
            route::ipv6_row(out, row, &naming)?;
        }
        Ok(())
    }

    /// Looks up the names not yet known: hosts in parallel under the
    /// deadline, networks one by one (a local file).
    fn look_up(&mut self, settings: &Settings, wanted: Vec<Lookup>) {
        if !named(settings) {
            return;
        }
        let mut hosts = Vec::new();
        for lookup in wanted {
            match lookup {
                Lookup::Host(addr) if self.looked_up.insert(addr) => {
                    hosts.push(addr);
                }
                Lookup::Host(_) => {}
                Lookup::Network(net) if self.networks_looked_up.insert(net) => {
                    if let Some(name) = resolve::network_name(net) {
                        self.networks.insert(net, name);
                    }
                }
                Lookup::Network(_) => {}
            }
        }
        if !hosts.is_empty() {
            self.hosts.extend(resolve::host_names(&hosts, LOOKUP_DEADLINE));
        }
    }

    /// The names for IPv4 rows: none when numeric.
    fn names(&self, settings: &Settings) -> RouteNames<'_> {
        if !named(settings) {
            return RouteNames::default();
        }
        RouteNames { hosts: Some(&self.hosts), networks: Some(&self.networks) }
    }
}

/// The families to show, in command-line order; IPv4 when none is named.
fn families(settings: &Settings) -> Vec<&str> {
    if settings.families.is_empty() {
        return vec!["inet"];
    }
    settings.families.clone()
}

/// What net-tools does with a family name of the list.
fn family(name: &str) -> Family<'_> {
    match name {
        "inet" => Family::Inet,
        "inet6" => Family::Inet6,
        "bluetooth" => Family::Unsupported(name),
        "ipx" | "ax25" | "netrom" | "x25" | "ddp" | "rose" => {
            Family::Legacy(name)
        }
        _ => Family::NoRouting(name),
    }
}

/// True unless `-n`, `--numeric-hosts` or `-N` asked for numbers.
fn named(settings: &Settings) -> bool {
    settings.names.hosts && !settings.symbolic
}

/// The FIB is shown with `-F`, and when `-C` is not given.
fn wants_fib(settings: &Settings) -> bool {
    settings.fib || !settings.cache
}

/// A kernel table that cannot be read: the C library's message on
/// standard error, net-tools' verdict on standard output, status 1.
fn not_configured(
    out: &mut impl Write,
    error: &SourceError,
    family: &str,
) -> io::Result<Status> {
    match error {
        SourceError::Missing(path) => {
            let missing = io::Error::from_raw_os_error(libc::ENOENT);
            messages::read_failure(out, path, &missing);
        }
        SourceError::Io { path, error } => {
            messages::read_failure(out, path, error);
        }
    }
    writeln!(out, "{family} not configured in this system.")?;
    Ok(1)
}

/// `-r` for a family without routes, after the tables before it.
fn no_routing(out: &mut impl Write, name: &str) -> Status {
    messages::note(out, &format!("No routing for address family `{name}'.\n"));
    3
}

/// `-r` for a family this build (like Debian's net-tools) lacks.
fn unsupported(out: &mut impl Write, name: &str) -> Status {
    messages::note(out, &format!("Address family `{name}' not supported.\n"));
    3
}

/// The legacy families, whose route tables no supported kernel has:
/// net-tools' own words for each, on its streams, status 1.
fn legacy(
    settings: &Settings,
    out: &mut impl Write,
    name: &str,
) -> io::Result<Status> {
    let (stderr, stdout) = legacy_texts(&settings.proc_root.join("net"), name);
    if !stderr.is_empty() {
        messages::note(out, &stderr);
    }
    out.write_all(stdout.as_bytes())?;
    Ok(1)
}

/// What net-tools prints on standard error and standard output for a
/// legacy family's routes, with `net` standing for `/proc/net`.
fn legacy_texts(net: &Path, name: &str) -> (String, String) {
    let path = |file: &str| net.join(file).display().to_string();
    match name {
        "ipx" => (
            String::from("No such file or directory\n"),
            format!(
                "IPX routing not in file {} or {} found.\n",
                path("ipx/route"),
                path("ipx_route")
            ),
        ),
        "ax25" => (
            missing(net, "ax25_route"),
            String::from("AX.25 not configured in this system.\n"),
        ),
        "netrom" => (
            // 2.10 reports a stale errno for the second file.
            format!(
                "{}{}: Invalid argument\n",
                missing(net, "nr_nodes"),
                path("nr_neigh")
            ),
            String::from("NET/ROM not configured in this system.\n"),
        ),
        "x25" => (
            String::new(),
            String::from("X.25 not configured in this system.\n"),
        ),
        "ddp" => (
            format!(
                "Error opening {}: No such file or directory\n\
                 DDP (AppleTalk) not configured on this system.\n",
                path("atalk_route")
            ),
            String::new(),
        ),
        _ => (
            format!(
                "{}ROSE not configured in this system.\n",
                missing(net, "rose_nodes")
            ),
            String::new(),
        ),
    }
}

/// `PATH: No such file or directory` for a file under `net`.
fn missing(net: &Path, file: &str) -> String {
    format!("{}: No such file or directory\n", net.join(file).display())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_default_to_inet_and_keep_order_and_repeats() {
        let mut settings = Settings::default();
        assert_eq!(families(&settings), ["inet"]);
        settings.families = vec!["inet6", "inet", "inet6"];
        assert_eq!(families(&settings), ["inet6", "inet", "inet6"]);
    }

    #[test]
    fn each_family_name_has_its_outcome() {
        assert!(matches!(family("inet"), Family::Inet));
        assert!(matches!(family("inet6"), Family::Inet6));
        assert!(matches!(family("unix"), Family::NoRouting("unix")));
        assert!(matches!(family("ash"), Family::NoRouting("ash")));
        assert!(matches!(family("bluetooth"), Family::Unsupported(_)));
        for name in ["ipx", "ax25", "netrom", "x25", "ddp", "rose"] {
            assert!(matches!(family(name), Family::Legacy(_)), "{name}");
        }
    }

    #[test]
    fn fib_unless_only_the_cache_is_asked_for() {
        let mut settings = Settings::default();
        assert!(wants_fib(&settings));
        settings.cache = true;
        assert!(!wants_fib(&settings));
        settings.fib = true;
        assert!(wants_fib(&settings));
    }

    #[test]
    fn numeric_routes_for_n_and_capital_n() {
        let mut settings = Settings::default();
        assert!(named(&settings));
        settings.symbolic = true;
        assert!(!named(&settings));
        settings.symbolic = false;
        settings.names.hosts = false;
        assert!(!named(&settings));
    }

    #[test]
    fn legacy_texts_name_the_files_under_the_root() {
        let net = Path::new("/saved/net");
        let (stderr, stdout) = legacy_texts(net, "ax25");
        assert_eq!(
            stderr,
            "/saved/net/ax25_route: No such file or directory\n"
        );
        assert_eq!(stdout, "AX.25 not configured in this system.\n");
        let (stderr, stdout) = legacy_texts(net, "x25");
        assert_eq!((stderr.as_str(), stdout.len()), ("", 36));
        let (stderr, stdout) = legacy_texts(net, "rose");
        assert!(stderr.ends_with("ROSE not configured in this system.\n"));
        assert!(stdout.is_empty());
    }

    #[test]
    fn a_missing_table_is_not_configured() {
        let mut out = Vec::new();
        let error = SourceError::Missing("/saved/net/route".into());
        let status = not_configured(&mut out, &error, "INET (IPv4)");
        assert_eq!(status.ok(), Some(1));
        assert_eq!(out, b"INET (IPv4) not configured in this system.\n");
    }
}
