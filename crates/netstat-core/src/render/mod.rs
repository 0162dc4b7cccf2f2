//! Renderers: turn the model into text. The classic renderer prints
//! net-tools 2.10's layouts byte for byte.

pub mod classic;
pub mod escape;
