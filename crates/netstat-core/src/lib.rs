//! The library behind netstat-rs: a renderer-independent model of the
//! kernel's network state, the sources that fill it, and the renderers that
//! print it.
//!
//! Data flows one way: a [`source`] reads the kernel (today the `/proc/net`
//! text tables, rooted anywhere so that a saved support bundle reads like
//! the live system) into [`model`] values; [`process`] and [`resolve`] add
//! owners and names; a [`render`] module turns the model into text. No
//! source formats text and no renderer reads the kernel.

#![warn(missing_docs)]

pub mod model;
pub mod process;
pub mod render;
pub mod resolve;
pub mod source;
