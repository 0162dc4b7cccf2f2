//! What the benchmark times: each netstat flag set, its `ss` counterpart
//! when one exists, how our output is checked against net-tools' before
//! timing, and the three tools that are compared.

/// How our output is compared with net-tools' for one command.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Check {
    /// Byte for byte at every size.
    Bytes,
    /// Byte for byte, but only up to `--check-p-max` connections: net-tools
    /// `-p` is quadratic and takes half a minute at 100k.
    BytesUpToCheckMax,
    /// Line counts only: the counters move between two runs.
    Lines,
}

/// What kind of work a command is, for the memory targets.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// A socket listing without `-p`: should stream in flat memory.
    Listing,
    /// A socket listing with `-p`: needs the inode-to-owner map.
    Owners,
    /// A small table that does not grow with the number of sockets.
    Small,
}

/// One timed command.
pub struct Bench {
    /// The netstat flags, e.g. `-tan`.
    pub flags: &'static str,
    /// The `ss` flags doing the same job, if any.
    pub ss: Option<&'static str>,
    pub check: Check,
    pub kind: Kind,
}

const fn bench(
    flags: &'static str,
    ss: Option<&'static str>,
    check: Check,
    kind: Kind,
) -> Bench {
    Bench { flags, ss, check, kind }
}

/// Every command, in the order they are checked, timed and reported.
pub static ALL: [Bench; 9] = [
    bench("-tan", Some("-tan"), Check::Bytes, Kind::Listing),
    bench("-tln", Some("-tln"), Check::Bytes, Kind::Listing),
    bench("-an", Some("-an"), Check::Bytes, Kind::Listing),
    bench("-xa", Some("-xa"), Check::Bytes, Kind::Listing),
    bench("-tanp", Some("-tanp"), Check::BytesUpToCheckMax, Kind::Owners),
    bench("-tlnp", Some("-tlnp"), Check::BytesUpToCheckMax, Kind::Owners),
    bench("-s", None, Check::Lines, Kind::Small),
    bench("-i", None, Check::Lines, Kind::Small),
    bench("-rn", None, Check::Bytes, Kind::Small),
];

/// Looks a command up by its netstat flags.
pub fn find(flags: &str) -> Option<&'static Bench> {
    ALL.iter().find(|bench| bench.flags == flags)
}

/// The three tools compared on every command.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tool {
    Ours,
    NetTools,
    Ss,
}

impl Tool {
    pub const ALL: [Tool; 3] = [Tool::Ours, Tool::NetTools, Tool::Ss];

    /// The name used in the timer's output and in the report.
    pub fn name(self) -> &'static str {
        match self {
            Tool::Ours => "ours",
            Tool::NetTools => "netstat",
            Tool::Ss => "ss",
        }
    }

    /// The flags this tool is given for `bench`, if it takes part.
    pub fn flags(self, bench: &Bench) -> Option<&'static str> {
        match self {
            Tool::Ours | Tool::NetTools => Some(bench.flags),
            Tool::Ss => bench.ss,
        }
    }
}
