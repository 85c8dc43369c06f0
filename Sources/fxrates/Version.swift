/// The release `fxrates --version` names. `buildCommit` is generated at build time by Plugins/BuildCommit.
let fxratesVersion = "1.0.0"

/// `fxrates 1.0.0 (commit 0123…)`, or `(commit unknown)` for a build without git metadata.
let versionLine = "fxrates \(fxratesVersion) (commit \(buildCommit))"
