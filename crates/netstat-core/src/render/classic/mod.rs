//! The classic renderer: net-tools 2.10 text, byte for byte.
