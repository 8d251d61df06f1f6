# Summary of `make bench-udev`: reads the suite output of udev-rules.sh
# ("bench: kind=... rule=... metric=... n= median= p25= p75= min= max="
# lines, then "rc=N" from the Makefile) and prints, for the per-block
# hot-add latency and the coldplug, the medians of both rules with their
# spread and the tdxsys/plain ratio of the medians. Fails when the suite
# failed or a result is missing.
function kv(line, key,    m) {
	if (match(line, " " key "=[^ ]+"))
		return substr(line, RSTART + length(key) + 2,
			      RLENGTH - length(key) - 2)
	return ""
}
# Result names carry the kernel: "ok - vm/<kernel>/udev-rules/bench: ..."
function kern(line) {
	if (match(line, / - vm\/[^\/]+\/udev-rules\/bench: /))
		return substr(line, RSTART + 6, index(substr(line, RSTART + 6), "/") - 1)
	return ""
}
/ - vm\/[^\/]+\/udev-rules\/bench: / {
	kv_ = kern($0)
	if (!(kv_ in seen)) {
		seen[kv_] = 1
		kernels[++nk] = kv_
	}
	k = kv_ "/" kv($0, "kind") "/" kv($0, "metric") "/" kv($0, "rule")
	med[k] = kv($0, "median"); p25[k] = kv($0, "p25")
	p75[k] = kv($0, "p75"); lo[k] = kv($0, "min"); hi[k] = kv($0, "max")
	n[k] = kv($0, "n")
	if (kv($0, "blocks") != "")
		blocks[kv_] = kv($0, "blocks")
}
/ - vm\/[^\/]+\/udev-rules\/bench: kind=exec / {
	exec_us[kern($0) "/" kv($0, "what")] = kv($0, "us_per_call")
}
/^rc=/ { rc = substr($0, 4) + 0 }
function row(kn, label, m, unit,    t, p) {
	t = kn "/" m "/tdxsys"; p = kn "/" m "/plain"
	if (med[t] == "" || med[p] == "" || med[p] + 0 == 0) {
		printf "bench-udev: %s: %s: missing results\n", kn, label
		missing = 1
		return
	}
	printf "bench-udev: %s: %-34s tdxsys %8.1f %s [%s-%s, p25-p75 %s-%s, n=%s]   plain %8.1f %s [%s-%s, p25-p75 %s-%s, n=%s]   ratio %.2f\n",
	       kn, label, med[t], unit, lo[t], hi[t], p25[t], p75[t], n[t],
	       med[p], unit, lo[p], hi[p], p25[p], p75[p], n[p], med[t] / med[p]
}
END {
	if (!nk) {
		print "bench-udev: no results"
		missing = 1
	}
	for (i = 1; i <= nk; i++) {
		kn = kernels[i]
		row(kn, "hot-add per block, add event", "hotadd/add_ms", "ms")
		row(kn, "hot-add per block, block online", "hotadd/online_ms", "ms")
		row(kn, "hot-add per block, udevd CPU", "hotadd/udevd_cpu_ms", "ms")
		row(kn, "coldplug of " blocks[kn] " blocks", "coldplug/ms", "ms")
		row(kn, "coldplug, udevd CPU", "coldplug/udevd_cpu_ms", "ms")
		if ((kn "/true") in exec_us)
			printf "bench-udev: %s: one exec from a shell: /bin/true %.1f ms, tdxctl check --udev %.1f ms, tdxctl udev-table %.1f ms\n",
			       kn, exec_us[kn "/true"] / 1000,
			       exec_us[kn "/tdxctl_check_udev"] / 1000,
			       exec_us[kn "/tdxctl_udev_table"] / 1000
	}
	print "bench-udev: medians [min-max, p25-p75, runs]; targets: per-block ratio <= 1.3, coldplug ratio <= 2"
	exit missing ? 1 : rc
}
