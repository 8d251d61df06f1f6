// SPDX-License-Identifier: GPL-2.0
/*
 * tdxctl init: start TDX initialization and wait for its outcome; around
 * it, tdxsys.conf's kdump and unsafe_kexec policies (tdx_lifecycle.h).
 *
 * The outcome arrives as a "change" uevent of the tdx device; the state
 * file is re-read on every wake-up as well (at least every 200 ms), so a
 * lost or missed event cannot make this hang.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libudev.h>

#include "tdxctl_cmds.h"
#include "tdx_lifecycle.h"
#include "tdx_policy.h"
#include "tdx_sysfs.h"
#include "tdx_util.h"

#define INIT_DEFAULT_TIMEOUT	600	/* s; a 2 TiB host takes ~5 s */
#define INIT_TICK_MS		200
#define INIT_START_GRACE_MS	2000
#define BAR_WIDTH		40

static const char retry_msg[] =
	"TDX initialization failed (retryable: fix the cause, run init again)";

struct waiter {
	struct udev *udev;
	struct udev_monitor *mon;
	int fd;
};

/* Best effort: without a monitor (no netlink in a container) we poll. */
static void waiter_open(struct waiter *w)
{
	const char *name;

	w->fd = -1;
	w->mon = NULL;
	w->udev = udev_new();
	if (!w->udev)
		return;
	/* Events after udevd ran its rules, if udevd is running. */
	name = access("/run/udev/control", F_OK) ? "kernel" : "udev";
	w->mon = udev_monitor_new_from_netlink(w->udev, name);
	if (!w->mon)
		return;
	if (udev_monitor_filter_add_match_subsystem_devtype(w->mon, "tdx",
							    NULL) < 0 ||
	    udev_monitor_enable_receiving(w->mon) < 0) {
		udev_monitor_unref(w->mon);
		w->mon = NULL;
		return;
	}
	w->fd = udev_monitor_get_fd(w->mon);
}

static void waiter_close(struct waiter *w)
{
	if (w->mon)
		udev_monitor_unref(w->mon);
	if (w->udev)
		udev_unref(w->udev);
}

/* Sleep up to @ms or until a tdx uevent; drain what arrived. */
static void waiter_wait(struct waiter *w, int ms)
{
	struct pollfd pfd = { .fd = w->fd, .events = POLLIN };
	struct udev_device *dev;

	if (w->fd < 0) {
		usleep(ms * 1000);
		return;
	}
	if (poll(&pfd, 1, ms) <= 0)
		return;
	while ((dev = udev_monitor_receive_device(w->mon)))
		udev_device_unref(dev);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static char *read_error(void)
{
	char *text;

	tdx_sysfs_read_error(&text);
	return text;
}

static void report_error(const char *what)
{
	char *err = read_error();

	if (err && *err)
		tdxctl_err("%s: %s", what, err);
	else
		tdxctl_err("%s (no error recorded in %s/%s/error)", what,
			   tdx_sysfs_root(), TDX_FW_DIR);
	free(err);
}

struct progress {
	bool tty;
	int last_step;	/* plain mode: last 10% step printed */
	bool drawn;
};

static void show_progress(struct progress *p, bool final)
{
	char buf[64], a[32], b[32];
	u64 done, total;
	int pct, fill, i;

	if (tdx_sysfs_read(TDX_FW_DIR "/progress", buf, sizeof(buf)) <= 0 ||
	    tdx_parse_progress(buf, &done, &total) || !total)
		return;
	if (done > total)
		done = total;
	pct = (int)(done * 100 / total);
	tdx_fmt_size(done, a, sizeof(a));
	tdx_fmt_size(total, b, sizeof(b));
	if (p->tty) {
		fill = pct * BAR_WIDTH / 100;
		fputs("\r[", stdout);
		for (i = 0; i < BAR_WIDTH; i++)
			putchar(i < fill ? '#' : '.');
		printf("] %3d%% %s / %s ", pct, a, b);
		if (final)
			putchar('\n');
		p->drawn = !final;
		fflush(stdout);
		return;
	}
	if (pct / 10 > p->last_step || (final && pct != p->last_step * 10)) {
		p->last_step = pct / 10;
		printf("progress: %d%% (%s of %s)\n", pct, a, b);
		fflush(stdout);
	}
}

static void end_progress(struct progress *p)
{
	if (p->drawn) {
		putchar('\n');
		p->drawn = false;
	}
}

static void report_done(void)
{
	char kb[32], sz[32];
	u64 v;

	if (tdx_sysfs_read(TDX_FW_DIR "/pamt_kb", kb, sizeof(kb)) > 0 &&
	    !tdx_parse_u64(kb, &v)) {
		tdx_fmt_size(v << 10, sz, sizeof(sz));
		printf("TDX initialized (PAMT %s)\n", sz);
	} else {
		printf("TDX initialized\n");
	}
}

static int start_init(enum tdx_state *st)
{
	int ret;

	ret = tdx_sysfs_write(TDX_FW_DIR "/state", "initialize");
	if (ret == -EPERM || ret == -EACCES) {
		tdxctl_err("not allowed to start TDX initialization: %s (run as root)",
			   strerror(-ret));
		return TDXCTL_EXIT_FAIL;
	}
	if (tdx_sysfs_read_state(st))
		return TDXCTL_EXIT_FAIL;
	/* -EBUSY: someone else started it; wait for that run. */
	if (ret && ret != -EBUSY && *st != TDX_STATE_INITIALIZED &&
	    *st != TDX_STATE_INITIALIZING) {
		report_error("TDX initialization failed");
		return TDXCTL_EXIT_FAIL;
	}
	return -1;
}

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct progress prog = { .tty = isatty(STDOUT_FILENO) };
	bool seen_running = false;
	u64 timeout = INIT_DEFAULT_TIMEOUT;
	long long start, deadline;
	struct waiter w = { 0 };
	struct tdxsys_config cfg;
	enum tdx_state st;
	char *err0, *err1;
	int c, code;

	optind = 0;
	while ((c = getopt_long(argc, argv, "t:h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (tdx_parse_u64(optarg, &timeout) || !timeout ||
			    timeout > 86400) {
				tdxctl_err("init: --timeout must be 1..86400 seconds");
				return TDXCTL_EXIT_USAGE;
			}
			break;
		case 'h':
			puts("usage: tdxctl init [--timeout SECONDS]");
			return TDXCTL_EXIT_OK;
		default:
			return TDXCTL_EXIT_USAGE;
		}
	}
	if (tdx_no_operands(argc, argv))
		return TDXCTL_EXIT_USAGE;
	/* Its policies apply to this run: a malformed file starts nothing */
	c = tdx_config_load(&cfg);
	if (c)
		return c == -EINVAL ? TDXCTL_EXIT_USAGE : TDXCTL_EXIT_FAIL;
	if (!tdx_sysfs_exists(TDX_FW_DIR)) {
		tdx_err_not_loaded();
		return TDXCTL_EXIT_NOTDX;
	}
	if (tdx_sysfs_read_state(&st))
		return TDXCTL_EXIT_FAIL;
	if (st == TDX_STATE_INITIALIZED) {
		printf("TDX is already initialized\n");
		return tdx_lifecycle_after_init(&cfg) ? TDXCTL_EXIT_FAIL :
							TDXCTL_EXIT_OK;
	}
	if (st == TDX_STATE_UNSUPPORTED) {
		report_error("TDX is not supported on this host");
		return TDXCTL_EXIT_NOTDX;
	}
	if (st == TDX_STATE_FAILED) {
		report_error("TDX initialization failed earlier; reboot to retry");
		return TDXCTL_EXIT_FAIL;
	}
	if (st == TDX_STATE_UNINITIALIZED && tdx_lifecycle_before_init(&cfg))
		return TDXCTL_EXIT_FAIL;

	/* Listen before starting, so the outcome's event cannot be missed. */
	waiter_open(&w);
	err0 = read_error();
	code = -1;
	if (st == TDX_STATE_INITIALIZING)
		printf("TDX initialization already running, waiting for it\n");
	else
		code = start_init(&st);
	start = now_ms();
	deadline = start + (long long)timeout * 1000;
	while (code < 0) {
		if (st == TDX_STATE_INITIALIZING)
			seen_running = true;
		show_progress(&prog, st == TDX_STATE_INITIALIZED);
		if (st == TDX_STATE_INITIALIZED) {
			end_progress(&prog);
			report_done();
			code = tdx_lifecycle_after_init(&cfg) ?
				TDXCTL_EXIT_FAIL : TDXCTL_EXIT_OK;
			break;
		}
		if (st == TDX_STATE_FAILED || st == TDX_STATE_UNSUPPORTED) {
			end_progress(&prog);
			report_error("TDX initialization failed");
			code = TDXCTL_EXIT_FAIL;
			break;
		}
		if (st == TDX_STATE_UNINITIALIZED) {
			/*
			 * Back to uninitialized: a failure that can be
			 * retried. Right after the write it may just not
			 * have started; a new error says it is over.
			 */
			err1 = read_error();
			if (seen_running ||
			    (err1 && *err1 && (!err0 || strcmp(err0, err1))) ||
			    now_ms() - start > INIT_START_GRACE_MS) {
				end_progress(&prog);
				report_error(retry_msg);
				free(err1);
				code = TDXCTL_EXIT_FAIL;
				break;
			}
			free(err1);
		}
		if (now_ms() >= deadline) {
			end_progress(&prog);
			tdxctl_err("timed out after %llu s waiting for TDX initialization (state: %s)",
				   (unsigned long long)timeout,
				   tdx_state_name(st));
			code = TDXCTL_EXIT_FAIL;
			break;
		}
		waiter_wait(&w, INIT_TICK_MS);
		if (tdx_sysfs_read_state(&st)) {
			end_progress(&prog);
			code = TDXCTL_EXIT_FAIL;
		}
	}
	free(err0);
	waiter_close(&w);
	return code;
}
