//! The bundled product catalog (being written).
