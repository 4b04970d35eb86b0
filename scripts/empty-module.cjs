// Stands in for an optional dependency that the bundle leaves out (see scripts/build.mjs).
