//! Sources that read the kernel into the model.
