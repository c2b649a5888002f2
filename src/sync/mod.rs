//! Team sync (DESIGN §6). The hybrid logical clock that every field write carries lives
//! here; the store stamps writes with it and merge compares it.

pub mod hlc;
