module anwbis.invalid/bench/granted

go 1.22.0

require github.com/common-fate/granted v0.38.0

replace github.com/aws/session-manager-plugin => github.com/common-fate/session-manager-plugin v0.0.0-20240723053832-3d311db99016
