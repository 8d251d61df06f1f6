# Summary of `make bench-vm`: reads the suite output of vm-init-serial.sh
# and vm-init.sh ("bench: key=value ..." lines, then "rc=N" from the
# Makefile), prints ms per GiB of each and the speedup of the default
# tdmr_init_threads over 1. Fails when the suite failed or a run is missing.
function kv(line, key,    m) {
	if (match(line, " " key "=[^ ]+"))
		return substr(line, RSTART + length(key) + 2,
			      RLENGTH - length(key) - 2)
	return ""
}
/ - vm\/[^\/]+\/vm-init(-serial)?\/bench: / {
	k = kv($0, "threads") == "1" ? "serial" : "parallel"
	cpus[k] = kv($0, "cpus"); gib[k] = kv($0, "gib")
	init[k] = kv($0, "init_ms"); tinit[k] = kv($0, "tdmr_init_ms")
	threads[k] = kv($0, "threads")
}
/^rc=/ { rc = substr($0, 4) + 0 }
END {
	for (k in init)
		n++
	if (n != 2 || !init["serial"] || !tinit["parallel"]) {
		print "bench-vm: missing results (see the suite output above)"
		exit 1
	}
	for (i = 1; i <= 2; i++) {
		k = i == 1 ? "serial" : "parallel"
		printf "bench-vm: tdmr_init_threads=%s (%s CPU%s), %s GiB of TDMRs: TDMR.INIT %d ms = %.1f ms/GiB, initialization %d ms = %.1f ms/GiB\n",
		       threads[k], cpus[k], cpus[k] == 1 ? "" : "s", gib[k],
		       tinit[k], tinit[k] / gib[k], init[k], init[k] / gib[k]
	}
	printf "bench-vm: speedup TDMR.INIT %.2fx, whole initialization %.2fx (%s vCPUs under TCG: at most ~%sx, less when the host is busy)\n",
	       tinit["serial"] / tinit["parallel"], init["serial"] / init["parallel"],
	       cpus["parallel"], cpus["parallel"]
	exit rc
}
