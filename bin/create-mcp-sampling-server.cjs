#!/usr/bin/env node
// CommonJS on purpose: Node starts a CommonJS entry a few milliseconds sooner than an ES module one.
require('../dist/index.cjs');
