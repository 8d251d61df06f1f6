#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""tdxsys VM test bed: boots Debian's kernels in QEMU (TCG), each with a
debootstrap'ed initramfs of its own release, runs guest scenarios and
hot-plugs memory/CPUs on their request over QMP.  The kernels and how the
project is built for each: kernels.py.

  tdxvm.py prepare                 cache kernels, rootfs, build roots; timings
  tdxvm.py suite [SCENARIO...]     run tests/scenarios/*.sh (or the named ones)
                                   on every kernel
  tdxvm.py demo SCRIPT             run one script, its output live, exit status
  tdxvm.py boot [--shape S]        interactive shell on the serial console
  tdxvm.py kernels [--names]       the kernels: name, Debian release, ABI
  tdxvm.py check-build             W=1 -Werror module build for each kernel
  (each takes --kernels NAMES, e.g. 6.1 or 6.1,6.12; demo/boot use the first)

Environment:
  TDXSYS_CACHE      cache directory (default /var/cache/tdxsys)
  TDXSYS_VM_OUT     results directory (default tests/vm/out)
  TDXSYS_KERNELS    default for --kernels (make KERNELS=... sets it)
  TDXSYS_MIRROR     Debian mirror (default: the host's apt sources)
  TDXSYS_SECURITY_MIRROR  Debian security mirror (likewise)
  TDXSYS_VM_INSTALL 0 skips building the project into the overlay
  TDXSYS_FAILTEST   1 also runs tests/vm/selftest-fail.sh (must fail)
  TDXSYS_TCG        single or multi: QEMU's TCG threads for boots whose
                    scenarios do not say (default: QEMU's, multi)

Python 3 standard library only.
"""

import argparse
import glob
import gzip
import hashlib
import inspect
import json
import lzma
import os
import re
import resource
import shlex
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

from kernels import BedError, TIMINGS, ensure_rootfs, phase_done, run
import kernels

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SCENARIO_DIR = os.path.join(ROOT, 'tests', 'scenarios')
GUEST_DIR = os.path.join(HERE, 'guest')
SELFTEST_FAIL = os.path.join(HERE, 'selftest-fail.sh')
OUT = os.environ.get('TDXSYS_VM_OUT') or os.path.join(HERE, 'out')
GUEST_BASE = '/usr/lib/tdxsys-tests'

# Modules the guest needs from the distribution kernel (their dependencies
# are added automatically): the virtio-serial channels, configfs for
# tdx_emu, and the NVDIMM/DAX stack for pmem-backed scenarios.
GUEST_MODULES = ['virtio_pci', 'virtio_console', 'configfs', 'libnvdimm',
                 'nfit', 'nd_pmem', 'dax', 'device_dax', 'dax_pmem', 'kmem']

# tcg=single runs every vCPU in turn on one host thread, for boots that
# patch hot kernel code over and over (see stale_int3()).
DEFAULT_SHAPE = {'mem': '1G', 'slots': '8', 'maxmem': '16G', 'cpus': '2',
                 'maxcpus': '', 'sockets': '', 'nvdimm': 'off', 'pmem': '',
                 'tcg': os.environ.get('TDXSYS_TCG', '')}
DEFAULT_TIMEOUT = 300       # per scenario, seconds (guest-side `timeout`)
BOOT_ALLOWANCE = 240        # boot + poweroff, seconds, on top of scenarios
HOTPLUG_TIMEOUT = 60        # guest must finish an eject within this

# Kernel log lines that fail every scenario of the boot they appear in.
# The debug kernel's reports: lockdep, KASAN, sleeping in atomic, soft
# lockup ("BUG: ..." / "WARNING: ..."), UBSAN, kmemleak (the guest's forced
# scan at the end of the boot, guest/run-scenarios), and lockdep or
# kmemleak switching themselves off (later reports would be lost).
KERNEL_BAD = re.compile(
    r'\bBUG[: ]|WARNING:|\bOops\b|Call Trace|possible circular locking|'
    r'INFO: possible recursive|hung_task|blocked for more than|Kernel panic|'
    r'\bKASAN:|\bUBSAN:|turning off the locking correctness validator|'
    r'Disabling lock debugging|kmemleak: (LEAK|FAILED)|'
    r'new suspected memory leaks|memory leak detector disabled')

# The kernel's last message before it starts user space.  A crash before
# it cannot involve tdxsys: no module is loaded and no scenario has run.
USERSPACE_START = re.compile(r'Run \S+ as init process')
# An oops's CPU line, e.g. "CPU: 1 UID: 0 PID: 0 Comm: swapper/1 Tainted:
# G           OE      6.12.118+deb13-amd64 #1".  Flag O (an out-of-tree
# module was loaded) is set once tdx_sys or tdx_emu has been loaded.
OOPS_CPU = re.compile(
    r'\bCPU: \d+ .*?(Not tainted|Tainted: ([A-Z ]*?)\s*\d)')
OOPS_START = re.compile(r'\bOops\b|\bBUG: |general protection fault|'
                        r'\bint3: [0-9a-f]{4} \[#|Kernel panic')
# An int3 oops ("Oops: int3: 0000 [#1] ..." on 6.12, without "Oops: " on
# 6.1) and its Code: line, which shows the bytes around RIP as memory
# holds them when the oops is printed; RIP is just past the INT3.
OOPS_INT3 = re.compile(r'\bint3: [0-9a-f]{4} \[#\d+\]')
OOPS_CODE = re.compile(r'\bCode: ((?:[0-9a-f]{2} )+)<[0-9a-f]{2}>')
CRASH_RETRIES = 1           # extra boots after a crash tdxsys cannot cause
RETRIED = []                # (label, why, first bad line) for the summary

MARK = '@@tdxtest '
CONSOLE_RESULT_PREFIX = 'TDXRES: '


def parse_size(text):
    m = re.fullmatch(r'(0x[0-9a-fA-F]+|\d+)\s*([KMGT]?)(i?B)?', text.strip())
    if not m:
        raise ValueError('bad size %r' % text)
    val = int(m.group(1), 0)
    return val << {'': 0, 'K': 10, 'M': 20, 'G': 30, 'T': 40}[m.group(2)]


# --------------------------------------------------------------------------
# per-run overlay: project install, guest modules, harness, scenarios

def module_index(moddir):
    idx = {}
    for dirpath, _, files in os.walk(moddir):
        for f in files:
            m = re.match(r'(.+)\.ko(\.[a-z]+)?$', f)
            if m:
                idx.setdefault(m.group(1).replace('-', '_'),
                               os.path.join(dirpath, f))
    return idx


def module_depends(path):
    out = run(['modinfo', '-F', 'depends', path]).strip()
    return [d.replace('-', '_') for d in out.split(',') if d]


def add_guest_modules(stage, image, log):
    kver, moddir = image['kver'], image['moddir']
    dst = os.path.join(stage, 'lib', 'modules', kver)
    os.makedirs(dst, exist_ok=True)
    idx = module_index(moddir)
    builtin = set()
    if os.path.exists(os.path.join(moddir, 'modules.builtin')):
        builtin = {os.path.basename(l.strip())[:-3].replace('-', '_')
                   for l in open(os.path.join(moddir, 'modules.builtin'))}
    wanted = list(GUEST_MODULES)
    # Project modules may need more from the distribution kernel.
    for ko in module_index(dst).values():
        wanted += module_depends(ko)
    done = set()
    while wanted:
        name = wanted.pop()
        if name in done:
            continue
        done.add(name)
        if name not in idx:
            if name in GUEST_MODULES and name not in builtin:
                raise BedError('module %s not in %s' % (name, moddir))
            continue        # built in, or another project module
        rel = os.path.relpath(idx[name], moddir)
        os.makedirs(os.path.dirname(os.path.join(dst, rel)), exist_ok=True)
        shutil.copy2(idx[name], os.path.join(dst, rel))
        wanted += module_depends(idx[name])
    # depmod in the overlay sees only overlay modules; it still needs the
    # image's lists of built-in modules to resolve those.
    for f in ('modules.builtin', 'modules.builtin.modinfo', 'modules.order'):
        if os.path.exists(os.path.join(moddir, f)):
            shutil.copy2(os.path.join(moddir, f), dst)
    log.write('guest modules: %s\n' % ' '.join(sorted(done)))
    run(['depmod', '-b', stage, kver])


def merge_into(src, dst):
    """Move tree src into dst, merging directories."""
    os.makedirs(dst, exist_ok=True)
    for name in os.listdir(src):
        s, d = os.path.join(src, name), os.path.join(dst, name)
        if os.path.isdir(s) and not os.path.islink(s) and os.path.isdir(d):
            merge_into(s, d)
        else:
            if os.path.lexists(d):
                if os.path.isdir(d) and not os.path.islink(d):
                    shutil.rmtree(d)
                else:
                    os.unlink(d)
            os.rename(s, d)
    os.rmdir(src)


def install_harness(stage, scenarios, facts, image):
    base = stage + GUEST_BASE
    os.makedirs(os.path.join(base, 'scenarios'), exist_ok=True)
    # What the host knows about this boot's kernel and build, for the
    # scenarios that check it (bed-dkms).
    with open(os.path.join(base, 'bed-facts'), 'w') as f:
        for k, v in sorted(facts.items()):
            for line in str(v).splitlines() or ['']:
                f.write('%s=%s\n' % (k, line))
    for f, mode in (('lib.sh', 0o644), ('tdx.sh', 0o644),
                    ('run-scenarios', 0o755)):
        shutil.copy(os.path.join(GUEST_DIR, f), os.path.join(base, f))
        os.chmod(os.path.join(base, f), mode)
    for name, path in scenarios.items():
        d = os.path.join(base, 'scenarios', name + '.sh')
        shutil.copy(path, d)
        os.chmod(d, 0o755)
    # The kernel image, for scenarios that kexec into it (vm_kexec)
    shutil.copy(image['vmlinuz'], os.path.join(base, 'vmlinuz'))
    unitdir = os.path.join(stage, 'etc', 'systemd', 'system')
    os.makedirs(os.path.join(unitdir, 'multi-user.target.wants'),
                exist_ok=True)
    shutil.copy(os.path.join(GUEST_DIR, 'tdxsys-test.service'), unitdir)
    os.symlink('../tdxsys-test.service',
               os.path.join(unitdir, 'multi-user.target.wants',
                            'tdxsys-test.service'))


def build_id_note(path, data):
    """The GNU build-id ELF note of a module (.ko, .ko.xz, .ko.gz), in hex:
    the bytes the kernel shows in /sys/module/<m>/notes/.note.gnu.build-id
    once it is loaded."""
    if path.endswith('.xz'):
        data = lzma.decompress(data)
    elif path.endswith('.gz'):
        data = gzip.decompress(data)
    elif path.endswith('.zst'):
        data = subprocess.run(['zstd', '-dc', path], check=True,
                              stdout=subprocess.PIPE).stdout
    m = re.search(re.escape(struct.pack('<III', 4, 20, 3) + b'GNU\0') +
                  b'.{20}', data, re.S)
    return m.group(0).hex() if m else '-'


def build_overlay(odir, kernel, rootfs, scenarios):
    """Return the initrd: base archive + this run's overlay archive: the
    project built and installed for kernel (tools by make install-tools,
    modules by DKMS), the guest modules of its image, the harness."""
    image = kernel.image()
    stage = os.path.join(odir, 'overlay')
    os.makedirs(stage)
    log = open(os.path.join(odir, 'build.log'), 'w')
    facts = {'kernel': kernel.name, 'release': kernel.release,
             'kabi': image['kver']}
    want = os.environ.get('TDXSYS_VM_INSTALL', '1') != '0'
    note = 'harness only (TDXSYS_VM_INSTALL=0)'
    if want:
        note = 'install-tools + dkms'
        facts['dkms_status'] = kernel.install(stage, log)
        for ko in sorted(glob.glob(os.path.join(
                stage, 'lib', 'modules', image['kver'], '*', '*', '*.ko*'))):
            rel = os.path.relpath(ko, os.path.join(stage, 'lib', 'modules',
                                                   image['kver']))
            data = open(ko, 'rb').read()
            line = '%s %s %s\n' % (rel, hashlib.sha256(data).hexdigest(),
                                   build_id_note(ko, data))
            facts['dkms_module'] = facts.get('dkms_module', '') + line
    t0 = time.monotonic()
    # depmod -b looks in <base>/lib/modules; gather modules there first.
    if os.path.isdir(os.path.join(stage, 'usr', 'lib', 'modules')):
        merge_into(os.path.join(stage, 'usr', 'lib', 'modules'),
                   os.path.join(stage, 'lib', 'modules'))
    add_guest_modules(stage, image, log)
    install_harness(stage, scenarios, facts, image)
    # The base is merged-/usr: an overlay directory named lib, bin or sbin
    # would replace the base's symlink when the kernel unpacks it.
    for d in ('lib', 'lib64', 'bin', 'sbin'):
        if os.path.isdir(os.path.join(stage, d)) and \
                not os.path.islink(os.path.join(stage, d)):
            merge_into(os.path.join(stage, d), os.path.join(stage, 'usr', d))
    # Unpacking a directory entry also chmods an existing directory.
    for dirpath, dirs, _ in os.walk(stage):
        for d in dirs:
            if not os.path.islink(os.path.join(dirpath, d)):
                os.chmod(os.path.join(dirpath, d), 0o755)
    ov = os.path.join(odir, 'overlay.cpio.gz')
    names = subprocess.run(
        'find . -mindepth 1 | LC_ALL=C sort', shell=True, cwd=stage,
        check=True, stdout=subprocess.PIPE).stdout
    with open(ov, 'wb') as f:
        cpio = subprocess.Popen(['cpio', '--quiet', '-o', '-H', 'newc',
                                 '-R', '0:0'], cwd=stage,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        gz = subprocess.Popen(['gzip', '-1'], stdin=cpio.stdout, stdout=f)
        cpio.stdout.close()
        cpio.stdin.write(names)
        cpio.stdin.close()
        if cpio.wait() != 0 or gz.wait() != 0:
            raise BedError('packing the overlay failed')
    initrd = os.path.join(odir, 'initrd.img')
    with open(initrd, 'wb') as out:
        with open(rootfs, 'rb') as f:
            shutil.copyfileobj(f, out)
        out.write(b'\0' * (-out.tell() % 4))
        with open(ov, 'rb') as f:
            shutil.copyfileobj(f, out)
    log.close()
    phase_done('overlay-' + kernel.name, t0, note)
    return initrd


# --------------------------------------------------------------------------
# scenarios and VM shapes

def parse_header(path):
    """Leading comment block: '# vm: k=v ...', '# cmdline: ...',
    '# timeout: N', '# console-allow: REGEX', '# console-expect: REGEX',
    '# share-boot: yes'. A console-expect line is a check of its own: some
    console line of the boot must match it (what a guest cannot report,
    e.g. what the kernel printed on its way into a reboot).
    A scenario gets a fresh VM unless it says share-boot: yes; then it
    shares one with the other sharing scenarios of the same shape and
    cmdline (TDX initialization cannot be undone without a reboot, so a
    scenario that changes kernel state must not share)."""
    shape = dict(DEFAULT_SHAPE)
    hdr = {'cmdline': '', 'timeout': DEFAULT_TIMEOUT, 'allow': [],
           'expect': [], 'share': False, 'needs': []}
    for line in open(path):
        line = line.strip()
        if line.startswith('#!') or not line:
            continue
        if not line.startswith('#'):
            break
        m = re.match(r'#\s*([a-z-]+):\s*(.*)$', line)
        if not m:
            continue
        key, val = m.group(1), m.group(2).strip()
        if key == 'vm':
            for kv in val.split():
                k, _, v = kv.partition('=')
                if k not in shape:
                    raise BedError('%s: unknown vm key %r' % (path, k))
                shape[k] = v
        elif key == 'cmdline':
            hdr['cmdline'] = (hdr['cmdline'] + ' ' + val).strip()
        elif key == 'timeout':
            hdr['timeout'] = int(val)
        elif key == 'console-allow':
            hdr['allow'].append(val)
        elif key == 'console-expect':
            hdr['expect'].append(val)
        elif key == 'needs':
            hdr['needs'] += val.split()
        elif key == 'share-boot':
            hdr['share'] = val.lower() in ('yes', 'true', '1', 'on')
    hdr['shape'] = complete_shape(shape, path)
    return hdr


def complete_shape(shape, where):
    if shape['tcg'] not in ('', 'multi', 'single'):
        raise BedError('%s: tcg=%s: multi or single' % (where, shape['tcg']))
    if not shape['maxcpus']:
        shape['maxcpus'] = shape['cpus']
    return shape


def parse_shape_arg(text):
    shape = dict(DEFAULT_SHAPE)
    for kv in (text or '').replace(',', ' ').split():
        k, _, v = kv.partition('=')
        if k not in shape:
            raise BedError('unknown shape key %r' % k)
        shape[k] = v
    return complete_shape(shape, 'shape')


def shape_str(shape):
    return ' '.join('%s=%s' % (k, shape[k]) for k in DEFAULT_SHAPE
                    if shape[k])


def resolve_scenarios(names):
    found = {}
    if not names:
        for p in sorted(glob.glob(os.path.join(SCENARIO_DIR, '*.sh'))):
            found[os.path.basename(p)[:-3]] = p
    for n in names:
        cands = [n, os.path.join(SCENARIO_DIR, n),
                 os.path.join(SCENARIO_DIR, n + '.sh'),
                 os.path.join(HERE, n + '.sh')]
        p = next((c for c in cands if os.path.isfile(c)), None)
        if not p:
            raise BedError('no scenario %r' % n)
        found[re.sub(r'\.sh$', '', os.path.basename(p))] = p
    if os.environ.get('TDXSYS_FAILTEST') == '1':
        found['selftest-fail'] = SELFTEST_FAIL
    return found


# --------------------------------------------------------------------------
# QMP and the guest control channel

class QMPError(Exception):
    pass


class LineSock:
    def __init__(self, path, timeout=30):
        end = time.monotonic() + timeout
        while True:
            try:
                self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.s.connect(path)
                break
            except OSError:
                self.s.close()
                if time.monotonic() > end:
                    raise BedError('cannot connect to ' + path)
                time.sleep(0.1)
        self.buf = b''

    def readline(self, timeout=None):
        """A line without newline; None on timeout; EOFError at EOF."""
        end = None if timeout is None else time.monotonic() + timeout
        while b'\n' not in self.buf:
            if end is not None:
                left = end - time.monotonic()
                if left <= 0:
                    return None
                self.s.settimeout(left)
            else:
                self.s.settimeout(None)
            try:
                data = self.s.recv(4096)
            except socket.timeout:
                return None
            if not data:
                raise EOFError
            self.buf += data
        line, self.buf = self.buf.split(b'\n', 1)
        return line.decode('utf-8', 'replace').rstrip('\r')

    def send(self, text):
        self.s.settimeout(10)
        self.s.sendall(text.encode() + b'\n')

    def close(self):
        self.s.close()


class QMP:
    def __init__(self, path, log):
        self.log = log
        self.sock = LineSock(path)
        self.events = []
        self.sock.readline(30)          # greeting
        self.cmd('qmp_capabilities')

    def _msg(self, timeout):
        line = self.sock.readline(timeout)
        if line is None:
            return None
        msg = json.loads(line)
        if 'event' in msg:
            self.log('qmp event %s' % line)
            self.events = self.events[-100:] + [msg]
        return msg

    def cmd(self, name, **args):
        req = {'execute': name}
        if args:
            req['arguments'] = args
        self.log('qmp -> %s' % json.dumps(req))
        self.sock.send(json.dumps(req))
        while True:
            msg = self._msg(60)
            if msg is None:
                raise QMPError('no reply to ' + name)
            if 'return' in msg:
                self.log('qmp <- %s' % json.dumps(msg['return']))
                return msg['return']
            if 'error' in msg:
                self.log('qmp <- error %s' % msg['error'])
                raise QMPError(msg['error'].get('desc', str(msg['error'])))

    def wait_event(self, name, device, timeout):
        end = time.monotonic() + timeout
        while True:
            for ev in self.events:
                if ev['event'] == name and \
                        ev.get('data', {}).get('device') == device:
                    self.events.remove(ev)
                    return ev
            left = end - time.monotonic()
            if left <= 0:
                return None
            self._msg(left)

    def close(self):
        self.sock.close()


class Hotplug:
    """Performs the guest's requests; one per line: 'SEQ CMD ARGS...'."""

    def __init__(self, qmp):
        self.qmp = qmp
        self.n = 0
        self.dimms = {}             # dimm id -> (mem id, addr, size)
        self.cpu_slots = set()      # vCPU slots plugged during this boot
        self.cpu_unplugged = False

    def handle(self, words):
        cmd, args = words[0], words[1:]
        fn = getattr(self, 'do_' + cmd.replace('-', '_'), None)
        if fn is None:
            raise BedError('unknown request ' + cmd)
        try:
            inspect.signature(fn).bind(*args)
        except TypeError:
            raise BedError('%s: wrong arguments %r' % (cmd, args))
        return fn(*args)

    def do_hotadd_dimm(self, addr, size):
        addr, size = int(addr, 0), parse_size(size)
        self.n += 1
        mem, dimm = 'mem%d' % self.n, 'dimm%d' % self.n
        self.qmp.cmd('object-add', **{'qom-type': 'memory-backend-ram',
                                      'id': mem, 'size': size})
        try:
            self.qmp.cmd('device_add', driver='pc-dimm', id=dimm, memdev=mem,
                         addr=addr)
        except QMPError:
            self.qmp.cmd('object-del', id=mem)
            raise
        self.dimms[dimm] = (mem, addr, size)
        return '%s 0x%x %d' % (dimm, addr, size)

    def _present(self, dev):
        return any(p['name'] == dev for p in
                   self.qmp.cmd('qom-list', path='/machine/peripheral'))

    def _unplug(self, dev):
        """device_del and wait until the guest ejected it.  DEVICE_DELETED
        is the usual signal, but QEMU 7.2 (TCG) emits it for a vCPU only
        when the object is finalized, which can be much later (it does for
        the CPU's lapic child at once); the device leaving the QOM tree is
        the same fact, so either ends the wait."""
        self.qmp.cmd('device_del', id=dev)
        end = time.monotonic() + HOTPLUG_TIMEOUT
        while time.monotonic() < end:
            if self.qmp.wait_event('DEVICE_DELETED', dev, 0.5) is not None:
                return
            if not self._present(dev):
                return
        raise BedError('%s: still present %ds after device_del (guest did '
                       'not eject it)' % (dev, HOTPLUG_TIMEOUT))

    def do_hotremove_dimm(self, dimm):
        if dimm not in self.dimms:
            raise BedError('no hot-added dimm ' + dimm)
        self._unplug(dimm)
        mem = self.dimms.pop(dimm)[0]
        self.qmp.cmd('object-del', id=mem)
        return dimm

    def do_hotadd_cpu(self):
        # QEMU 7.2 (TCG) never finalizes an unplugged vCPU, and the next
        # vCPU plug crashes it (heap corruption or SIGSEGV): refuse.
        if self.cpu_unplugged:
            raise BedError('vCPU hot-add after a vCPU hot-remove crashes QEMU '
                           '7.2 under TCG; hot-remove vCPUs last in a boot')

        def slot(c):
            return tuple(sorted(c['props'].items()))
        free = [c for c in self.qmp.cmd('query-hotpluggable-cpus')
                if 'qom-path' not in c and slot(c) not in self.cpu_slots]
        if not free:
            raise BedError('no unused vCPU slot left (raise maxcpus; a slot '
                           'is not re-plugged after an unplug)')
        c = min(free, key=slot)
        self.cpu_slots.add(slot(c))
        self.n += 1
        dev = 'cpu%d' % self.n
        self.qmp.cmd('device_add', driver=c['type'], id=dev, **c['props'])
        return '%s %s' % (dev, ','.join('%s=%s' % kv
                                        for kv in sorted(c['props'].items())))

    def do_hotremove_cpu(self, dev):
        self.cpu_unplugged = True
        self._unplug(dev)
        return dev

    def do_ping(self):
        return 'pong'


def serve_ctl(path, qmp, log, stop):
    try:
        ch = LineSock(path)
    except BedError as e:
        log('ctl: %s' % e)
        return
    hp = Hotplug(qmp)
    while not stop.is_set():
        try:
            line = ch.readline(0.5)
        except (EOFError, OSError):
            break
        if line is None or not line.strip():
            continue
        log('ctl <- %s' % line)
        words = line.split()
        seq, words = words[0], words[1:]
        try:
            reply = 'ok ' + (hp.handle(words) or '') if words else 'err empty'
        except (BedError, QMPError, ValueError, TypeError) as e:
            reply = 'err ' + ' '.join(str(e).split())
        except (EOFError, OSError) as e:
            reply = 'err qmp: %s' % e
        log('ctl -> %s %s' % (seq, reply))
        try:
            ch.send('%s %s' % (seq, reply.strip()))
        except OSError:
            break
    ch.close()


# --------------------------------------------------------------------------
# one VM boot

class Boot:
    def __init__(self, odir, tag, kernel, initrd, shape, cmdline,
                 scenarios=(), interactive=False, timeout=None, stream=False):
        self.odir, self.tag = odir, tag
        self.kernel, self.initrd = kernel, initrd
        self.shape, self.cmdline = shape, cmdline
        self.scenarios = list(scenarios)
        self.interactive, self.stream = interactive, stream
        self.timeout = timeout
        self.console = os.path.join(odir, 'console-%s.log' % tag)
        self.results = os.path.join(odir, 'results-%s.log' % tag)
        self.logf = open(os.path.join(odir, 'host-%s.log' % tag), 'w')
        self.lock = threading.Lock()
        self.boot_secs = None
        self.guest_uptime = None
        self.timed_out = False

    def log(self, msg):
        with self.lock:
            self.logf.write('%.2f %s\n' % (time.monotonic() - self.t0, msg))
            self.logf.flush()

    def qemu_cmd(self, sockdir):
        s = self.shape
        machine = 'q35' + (',nvdimm=on' if s['nvdimm'] == 'on' else '')
        # no_timer_check: under TCG on a busy host the early IO-APIC timer
        # check can miss its ticks and panic ("IO-APIC + timer doesn't
        # work!"); the timer works, the vCPU was just not scheduled.
        # tsc=unstable: under TCG 6.12 finds the emulated TSCs in sync, so
        # it flips the sched_clock static key late in boot (stable) and
        # again whenever the clocksource watchdog of a busy host finds
        # the TSC skewed (unstable).  Each flip patches code that runs in
        # the timer interrupt.  CI's two 6.12 crashes, "Oops: int3 ...
        # Fatal exception in interrupt", fit: one at 3.6 s (6.12 marks
        # sched_clock stable at 3.8-7.8 s here), one at 23 s in a boot of
        # 4 vCPUs on 2 host cores.  6.1 marks the TSC unstable at SMP
        # bring-up anyway; now both keep HPET and never flip the key.
        # Other static keys still flip (the freezer's on every suspend);
        # a boot that runs a stale INT3 anyway is booted again, see
        # stale_int3() and tests/vm/README.md.
        append = 'console=ttyS0,115200 panic=-1 mitigations=off ' \
            'tsc=unstable ' \
            'no_timer_check systemd.show_status=1 tdxtest.scenarios=%s ' \
            'tdxtest.poweroff=%d' \
            % (','.join(self.scenarios) or '-', 0 if self.interactive else 1)
        if self.cmdline:
            append += ' ' + self.cmdline
        cmd = ['qemu-system-x86_64', '-nodefaults', '-machine', machine,
               '-cpu', 'max',
               '-accel', 'tcg' + (',thread=' + s['tcg'] if s['tcg'] else ''),
               '-smp', '%s,maxcpus=%s%s' % (s['cpus'], s['maxcpus'],
                                            ',sockets=' + s['sockets']
                                            if s['sockets'] else ''),
               '-m', '%s,slots=%s,maxmem=%s' % (s['mem'], s['slots'],
                                                s['maxmem']),
               '-kernel', self.kernel['vmlinuz'], '-initrd', self.initrd,
               '-append', append, '-no-reboot', '-display', 'none',
               '-qmp', 'unix:%s/qmp.sock,server=on,wait=off' % sockdir,
               '-device', 'virtio-serial-pci,id=vser0',
               '-chardev', 'socket,id=ctl,path=%s/ctl.sock,server=on,'
               'wait=off' % sockdir,
               '-device', 'virtserialport,bus=vser0.0,chardev=ctl,'
               'name=org.tdxsys.ctl',
               '-chardev', 'file,id=res,path=' + self.results,
               '-device', 'virtserialport,bus=vser0.0,chardev=res,'
               'name=org.tdxsys.results']
        if s['pmem']:
            cmd += ['-object', 'memory-backend-ram,id=pmem0,size=' + s['pmem'],
                    '-device', 'nvdimm,id=nv0,memdev=pmem0']
        if self.interactive:
            cmd += ['-serial', 'mon:stdio']
        else:
            cmd += ['-serial', 'file:' + self.console]
        return cmd

    def run(self):
        self.t0 = time.monotonic()
        ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        sockdir = tempfile.mkdtemp(prefix='tdxvm-')
        cmd = self.qemu_cmd(sockdir)
        with open(os.path.join(self.odir, 'qemu-%s.cmd' % self.tag), 'w') as f:
            f.write(' '.join(shlex.quote(c) for c in cmd) + '\n')
        errf = open(os.path.join(self.odir, 'qemu-%s.stderr' % self.tag), 'w')
        proc = subprocess.Popen(
            cmd, stdin=None if self.interactive else subprocess.DEVNULL,
            stdout=None if self.interactive else errf, stderr=errf)
        stop = threading.Event()
        ctl = None
        try:
            qmp = QMP(os.path.join(sockdir, 'qmp.sock'), self.log)
            ctl = threading.Thread(target=serve_ctl, daemon=True,
                                   args=(os.path.join(sockdir, 'ctl.sock'),
                                         qmp, self.log, stop))
            ctl.start()
            self.wait(proc)
        except BedError as e:
            self.log('error: %s' % e)
            print('# %s: %s' % (self.tag, e), file=sys.stderr)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            stop.set()
            if ctl:
                ctl.join(5)
            shutil.rmtree(sockdir, ignore_errors=True)
            errf.close()
        if self.stream:
            self.pump()
        self.secs = time.monotonic() - self.t0
        ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        # CPU QEMU used (the only child running meanwhile): how much of the
        # host's cores one boot keeps busy.
        self.cpu_secs = ru1.ru_utime + ru1.ru_stime - ru0.ru_utime - \
            ru0.ru_stime
        self.rc = proc.returncode
        self.log('qemu exit %s after %.1fs' % (proc.returncode, self.secs))
        if proc.returncode and not self.timed_out:
            err = open(errf.name, errors='replace').read().strip()
            print('# %s: qemu exited with status %s%s' % (
                self.tag, proc.returncode, ': ' + err[-500:] if err else ''),
                flush=True)

    def wait(self, proc):
        self.pos = 0
        while proc.poll() is None:
            if self.timeout and time.monotonic() - self.t0 > self.timeout:
                self.timed_out = True
                self.log('boot timeout (%ds), killing qemu' % self.timeout)
                proc.kill()
                break
            self.pump()
            time.sleep(0.2)

    def pump(self):
        """Follow the results file: note boot time, stream in demo mode."""
        try:
            with open(self.results, 'rb') as f:
                f.seek(self.pos)
                data = f.read()
        except OSError:
            return
        end = data.rfind(b'\n') + 1
        self.pos += end
        for line in data[:end].decode('utf-8', 'replace').splitlines():
            if line.startswith(MARK + 'boot') and self.boot_secs is None:
                self.boot_secs = time.monotonic() - self.t0
                m = re.search(r'uptime=([\d.]+)', line)
                self.guest_uptime = float(m.group(1)) if m else None
            if self.stream and not line.startswith(MARK):
                print(line, flush=True)

    def result_lines(self):
        try:
            text = open(self.results, errors='replace').read()
        except OSError:
            text = ''
        if MARK not in text:        # no virtio port: results on the console
            text = '\n'.join(l.split(CONSOLE_RESULT_PREFIX, 1)[1]
                             for l in self.console_lines()
                             if CONSOLE_RESULT_PREFIX in l)
        return text.splitlines()

    def console_lines(self):
        try:
            return open(self.console, errors='replace').read().splitlines()
        except OSError:
            return []


# --------------------------------------------------------------------------
# evaluation

TAP_RE = re.compile(r'^(not ok|ok)\b\s*(\d+)?\s*(?:-\s*)?(.*)$')


def split_results(lines):
    """{scenario: {'tap': [...], 'rc': int|None}} from the result stream."""
    res = {}
    cur = None
    for line in lines:
        if line.startswith(MARK):
            w = line[len(MARK):].split()
            if w[0] == 'begin' and len(w) > 1:
                cur = res.setdefault(w[1], {'tap': [], 'rc': None})
            elif w[0] == 'end' and len(w) > 2 and cur is not None:
                m = re.search(r'rc=(\d+)', line)
                cur['rc'] = int(m.group(1)) if m else 255
                cur = None
            continue
        if cur is not None:
            cur['tap'].append(line)
    return res


def evaluate(kname, name, r, kernel_bad):
    """List of (passed, test name, note) for one scenario; test names are
    vm/<kernel>/<scenario>/<check>."""
    out = []
    pre = 'vm/%s/%s' % (kname, name)
    if r is None:
        return [(False, pre, 'no result (boot failed or timed out)', [])]
    plan = None
    count = 0
    for line in r['tap']:
        m = re.match(r'^1\.\.(\d+)', line)
        if m:
            plan = int(m.group(1))
            continue
        m = TAP_RE.match(line)
        if not m:
            if out and not out[-1][0]:
                out[-1][3].append(line)     # diagnostics of a failure
            continue
        count += 1
        desc = m.group(3)
        note = ''
        if '#' in desc:
            desc, note = [x.strip() for x in desc.split('#', 1)]
        desc = desc or 'test %d' % count
        passed = m.group(1) == 'ok' or note.upper().startswith('TODO')
        out.append((passed, '%s/%s' % (pre, desc), note, []))
    failed = any(not t[0] for t in out)
    if r['rc'] is None:
        out.append((False, pre + '/finished', 'scenario did not finish',
                    r['tap'][-10:]))
    elif r['rc'] in (124, 137):
        out.append((False, pre + '/timeout', 'killed by its timeout',
                    r['tap'][-10:]))
    elif r['rc'] != 0 and not failed:
        out.append((False, pre + '/exit-status', 'exit status %d' % r['rc'],
                    r['tap'][-10:]))
    if plan is None:
        out.append((False, pre + '/plan', 'no TAP plan', []))
    elif plan != count:
        out.append((False, pre + '/plan', 'planned %d, ran %d' % (plan, count),
                    []))
    if kernel_bad:
        out.append((False, pre + '/kernel-log',
                    '%d bad kernel log line(s)' % len(kernel_bad), []))
    return out


def scan_console(lines, allow):
    allow_re = [re.compile(a) for a in allow]
    return [l for l in lines if KERNEL_BAD.search(l) and
            not any(a.search(l) for a in allow_re)]


# --------------------------------------------------------------------------
# commands

def new_outdir(kind):
    odir = os.path.join(OUT, time.strftime('%Y%m%d-%H%M%S-') + kind)
    n = 0
    while os.path.exists(odir):
        n += 1
        odir = '%s.%d' % (odir.rsplit('.', 1)[0] if n > 1 else odir, n)
    os.makedirs(odir)
    latest = os.path.join(OUT, 'latest')
    try:
        if os.path.islink(latest):
            os.unlink(latest)
        os.symlink(os.path.basename(odir), latest)
    except OSError:
        pass
    return odir


def print_timings():
    print('# timings: ' + ', '.join('%s %.1fs' % (n, s)
                                     for n, s, _ in TIMINGS), flush=True)


def oops_block(lines, limit=30):
    """The first oops of a console log: its header, CPU, RIP and trace
    lines, so that CI's output names the call site."""
    for i, l in enumerate(lines):
        if OOPS_START.search(l):
            return lines[i:i + limit]
    return []


def crashed_before_tdxsys(b):
    """The bad kernel lines of a boot that died before tdxsys could be
    involved, else [].

    That is a kernel panic before the test service started, and either
    before user space started or with no out-of-tree module ever loaded
    (the oops's taint flags lack O): no tdx_sys, no tdx_emu, no scenario.
    Debian's kernels under TCG very rarely crash like that (CI saw 6.12's
    "Oops: int3" twice, see tsc=unstable in Boot.qemu_cmd).  Such a crash
    says nothing about tdxsys, so the bed boots again once and says so;
    any other crash fails the scenarios as usual."""
    if b.boot_secs is not None:
        return []
    lines = b.console_lines()
    bad = [l for l in lines if KERNEL_BAD.search(l)]
    if not any('Kernel panic' in l for l in bad):
        return []
    if not any(USERSPACE_START.search(l) for l in lines):
        return bad
    taints = [m for m in map(OOPS_CPU.search, lines) if m]
    if taints and all('O' not in (m.group(2) or '') for m in taints):
        return bad
    return []


def stale_int3(lines):
    """The oops of a kernel that trapped on an INT3 no longer in memory,
    else [].

    Code patching (static keys, static calls) puts an INT3 on the first
    byte of the site while it rewrites the rest; a CPU that hits it then
    is sent on by poke_int3_handler().  The INT3 is removed before
    text_poke_sync() makes every CPU serialize, so once the patch is done
    no CPU can execute it.  An int3 oops whose Code: line shows another
    byte than cc just before RIP means a vCPU ran code QEMU should have
    retranslated: multi-threaded TCG's fault (seen on 6.12 at static-key
    sites under freeze_processes() and in the page allocator), whatever
    the guest was running."""
    for i, l in enumerate(lines):
        if not OOPS_INT3.search(l):
            continue
        for c in lines[i + 1:i + 8]:
            m = OOPS_CODE.search(c)
            if m:
                if m.group(1).split()[-1] != 'cc':
                    return [l, c]
                break
    return []


def retry_reason(b):
    """Why a boot's crash says nothing about tdxsys, with its bad lines;
    None for a boot that must count."""
    crash = crashed_before_tdxsys(b)
    if crash:
        return ('the kernel crashed before any tdxsys module was loaded '
                'or any scenario ran', crash)
    crash = stale_int3(b.console_lines())
    if crash:
        return ('QEMU ran an INT3 that the kernel had already patched '
                'away (Code: shows no cc before RIP), an emulator fault',
                crash)
    return None


def keep_attempt(b, n):
    """Move a boot's logs aside as attempt n; return the console's name."""
    def aside(path):
        root, ext = os.path.splitext(path)
        return '%s-try%d%s' % (root, n, ext)

    b.logf.close()
    for path in (b.console, b.results, b.logf.name):
        if os.path.exists(path):
            os.rename(path, aside(path))
    return aside(b.console)


def run_boots(odir, kernel, initrd, scenarios, stream=False):
    """Group scenarios by shape, boot each group, return result tuples."""
    image = kernel.image()
    groups = {}
    for name, path in scenarios.items():
        h = parse_header(path)
        lacking = [n for n in h['needs'] if n in kernel.lacks]
        if lacking:
            # Not a result: the bed cannot give this kernel what the
            # scenario exercises (said on every run, never counted).
            for n in lacking:
                print('# vm/%s/%s: not run: needs %s: %s'
                      % (kernel.name, name, n, kernel.lacks[n]), flush=True)
            continue
        key = (shape_str(h['shape']), h['cmdline'],
               '' if h['share'] else name)
        g = groups.setdefault(key, {'shape': h['shape'], 'cmdline':
                                    h['cmdline'], 'names': [], 'timeout': 0,
                                    'allow': []})
        g['names'].append(name)
        g['timeout'] += h['timeout'] + 15
        g['allow'] += h['allow']
        g.setdefault('expect', {})[name] = h['expect']
    results = []
    for i, ((shape, cmdline, _), g) in enumerate(groups.items(), 1):
        tag = 'boot%d' % i
        label = '%s/%s' % (kernel.name, tag)
        print('# %s: %s%s: %s' % (label, shape, ' cmdline="%s"' % cmdline
                                  if cmdline else '', ' '.join(g['names'])),
              flush=True)
        for attempt in range(CRASH_RETRIES + 1):
            b = Boot(odir, tag, image, initrd, g['shape'],
                     ' '.join(c for c in (kernel.cmdline, cmdline) if c),
                     g['names'], timeout=g['timeout'] * kernel.slowdown +
                     BOOT_ALLOWANCE * kernel.slowdown,
                     stream=stream)
            b.run()
            retry = retry_reason(b)
            if not retry or attempt == CRASH_RETRIES:
                break
            why, crash = retry
            oops = oops_block(b.console_lines()) or crash[:12]
            kept = keep_attempt(b, attempt + 1)
            RETRIED.append((label, why, crash[0]))
            print('# %s: %s (log kept as %s); booting again:'
                  % (label, why, kept), flush=True)
            for l in oops:
                print('#   ' + l, flush=True)
        TIMINGS.append(('%s-to-systemd' % label, b.boot_secs or 0, ''))
        TIMINGS.append(('%s-total' % label, b.secs, ''))
        print('# %s: %.1fs total (qemu CPU %.0fs = %.2f cores), test '
              'service started %s%s' % (
                  label, b.secs, b.cpu_secs, b.cpu_secs / max(b.secs, 0.1),
                  '%.1fs after qemu start' % b.boot_secs if b.boot_secs
                  else 'never',
                  ' (guest uptime %.1fs)' % b.guest_uptime
                  if b.guest_uptime else ''), flush=True)
        if b.timed_out:
            print('# %s: timed out after %ds' % (label, b.timeout),
                  flush=True)
        bad = scan_console(b.console_lines(), g['allow'])
        if bad:
            print('# %s: kernel problems in %s:' % (label, b.console))
            for l in bad[:40]:
                print('#   ' + l)
            if any('Kernel panic' in l for l in bad):
                print('# %s: the first oops:' % label)
                for l in oops_block(b.console_lines()):
                    print('#   ' + l)
        res = split_results(b.result_lines())
        nres = len(results)
        console = b.console_lines()
        for name in g['names']:
            checks = evaluate(kernel.name, name, res.get(name), bad)
            for rx in g['expect'].get(name, []):
                hit = any(re.search(rx, l) for l in console)
                checks.append((hit, 'vm/%s/%s/console: %s'
                               % (kernel.name, name, rx), '',
                               [] if hit else ['no console line matches']))
            for passed, test, note, diag in checks:
                results.append((passed, test, note))
                if stream and passed:
                    continue        # the live output showed it already
                print('%s - %s%s' % ('ok' if passed else 'not ok', test,
                                     ' # ' + note if note else ''),
                      flush=True)
                for l in diag:
                    print('#   ' + l.lstrip('# '), flush=True)
        if any(not p for p, _, _ in results[nres:]):
            print('# logs: %s' % odir, flush=True)
    return results


def prepare(kernel):
    """Everything cached a kernel needs: image, guest rootfs of its
    release, build root.  Returns the rootfs archive."""
    kernel.image()
    rootfs = ensure_rootfs(kernel.release)
    kernel.builder()
    return rootfs


def prepare_all(chosen):
    """Fill the caches of every chosen kernel at once (downloads and
    debootstraps wait on the network and the disk more than on the CPUs);
    a failure is reported when that kernel is used."""
    jobs, releases = [], set()
    for k in chosen:
        jobs += [k.image, k.builder]
        if k.release not in releases:
            releases.add(k.release)
            jobs.append(lambda r=k.release: ensure_rootfs(r))

    def job(fn):
        try:
            fn()
        except BedError:
            pass
    t0 = time.monotonic()
    threads = [threading.Thread(target=job, args=(fn,)) for fn in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    phase_done('prepare', t0, 'in parallel: %s' %
               ' '.join(k.name for k in chosen))


def selected(args):
    return kernels.select(getattr(args, 'kernels', None) or
                          os.environ.get('TDXSYS_KERNELS', ''))


def cmd_prepare(args):
    try:
        chosen = selected(args)
        prepare_all(chosen)
        for k in chosen:
            prepare(k)
    except BedError as e:
        print('# error: %s' % e, file=sys.stderr)
        return 1
    print_timings()
    return 0


def cmd_check_build(args):
    """W=1 -Werror module build for each kernel (make check)."""
    status = 0
    os.makedirs(OUT, exist_ok=True)
    for k in selected(args):
        path = os.path.join(OUT, 'check-build-%s.log' % k.name)
        with open(path, 'w') as log:
            try:
                k.check_build(log)
                print('modules (W=1) and tdxctl for %s (%s, %s): -Werror '
                      'clean' % (k.name, k.kabi(), k.builder().describe()),
                      flush=True)
            except BedError as e:
                status = 1
                log.flush()
                print(open(path, errors='replace').read()[-6000:])
                print('build for %s: FAILED: %s' % (k.name, e), flush=True)
    return status


def cmd_suite(args):
    t0 = time.monotonic()
    results = []
    try:
        chosen = selected(args)
        scenarios = resolve_scenarios(args.scenarios)
        if not scenarios:
            raise BedError('no scenarios in ' + SCENARIO_DIR)
        odir = new_outdir('suite')
        print('# results in %s' % odir, flush=True)
        prepare_all(chosen)
    except BedError as e:
        print('# error: %s' % e, flush=True)
        print('not ok - vm/setup # %s' % str(e).splitlines()[0])
        print('0 passed, 1 failed', flush=True)
        return 1
    for k in chosen:
        t1 = time.monotonic()
        print('# kernel %s (Debian %s)' % (k.name, k.release), flush=True)
        try:
            rootfs = prepare(k)
            kdir = os.path.join(odir, k.name)
            os.makedirs(kdir)
            initrd = build_overlay(kdir, k, rootfs, scenarios)
            results += run_boots(kdir, k, initrd, scenarios)
        except BedError as e:
            print('# error: %s' % e, flush=True)
            results.append((False, 'vm/%s/setup' % k.name,
                            str(e).splitlines()[0]))
            print('not ok - vm/%s/setup # %s' % (k.name, results[-1][2]))
        TIMINGS.append(('suite-%s' % k.name, time.monotonic() - t1, ''))
    TIMINGS.append(('suite-total', time.monotonic() - t0, ''))
    print_timings()
    for label, why, line in RETRIED:
        print('# booted again: %s: %s: %s' % (label, why, line.strip()),
              flush=True)
    npass = sum(1 for p, _, _ in results if p)
    nfail = len(results) - npass
    print('%d passed, %d failed' % (npass, nfail), flush=True)
    return 1 if nfail or not npass else 0


def cmd_demo(args):
    path = os.path.abspath(args.script)
    if not os.path.isfile(path):
        print('no such script: %s' % args.script, file=sys.stderr)
        return 2
    name = re.sub(r'\.sh$', '', os.path.basename(path))
    try:
        k = selected(args)[0]
        rootfs = prepare(k)
        odir = new_outdir('demo')
        initrd = build_overlay(odir, k, rootfs, {name: path})
        print('# booting the VM (kernel %s, Debian %s, TCG, ~20-40s) to run '
              '%s; logs in %s' % (k.name, k.release, name, odir), flush=True)
        results = run_boots(odir, k, initrd, {name: path}, stream=True)
    except BedError as e:
        print('# error: %s' % e, file=sys.stderr)
        return 1
    print_timings()
    return 0 if results and all(p for p, _, _ in results) else 1


def cmd_boot(args):
    try:
        k = selected(args)[0]
        rootfs = prepare(k)
        odir = new_outdir('boot')
        scen = resolve_scenarios(args.run) if args.run else {}
        initrd = build_overlay(odir, k, rootfs, scen)
        shape = parse_shape_arg(args.shape)
    except BedError as e:
        print('# error: %s' % e, file=sys.stderr)
        return 1
    print('# interactive VM, kernel %s (%s); Ctrl-a x quits; host log %s'
          % (k.name, shape_str(shape), odir), flush=True)
    b = Boot(odir, 'boot', k.image(), initrd, shape,
             ' '.join(c for c in (k.cmdline, args.cmdline) if c),
             list(scen), interactive=True)
    b.run()
    return 0


def cmd_kernels(args):
    """One line per kernel: name, release, ABI (resolves: may run apt);
    --names: the names only."""
    try:
        for k in selected(args):
            print(k.name if args.names else
                  '%s %s %s' % (k.name, k.release, k.kabi()))
    except BedError as e:
        print('# error: %s' % e, file=sys.stderr)
        return 1
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                 formatter_class=argparse.RawTextHelpFormatter)
    sub = ap.add_subparsers(dest='cmd')

    def kernel_opt(p):
        p.add_argument('--kernels', metavar='NAMES',
                       help='kernels to use, e.g. "6.1" or "6.1,6.12" '
                       '(default $TDXSYS_KERNELS, else all; demo and boot '
                       'take the first)')
    kernel_opt(sub.add_parser('prepare', help='build/cache kernels, rootfs, '
                              'build roots'))
    p = sub.add_parser('kernels', help='list the bed\'s kernels')
    kernel_opt(p)
    p.add_argument('--names', action='store_true', help='names only')
    kernel_opt(sub.add_parser('check-build', help='W=1 -Werror module build '
                              'for each kernel'))
    p = sub.add_parser('suite', help='run scenarios, TAP-ish summary')
    kernel_opt(p)
    p.add_argument('scenarios', nargs='*')
    p = sub.add_parser('demo', help='run one script, output live')
    kernel_opt(p)
    p.add_argument('script')
    p = sub.add_parser('boot', help='interactive VM on this terminal')
    kernel_opt(p)
    p.add_argument('--shape', help='e.g. "mem=2G cpus=2 maxcpus=4"')
    p.add_argument('--cmdline', help='extra kernel command line')
    p.add_argument('--run', nargs='*', help='scenarios to run at boot')
    args = ap.parse_args()
    if not args.cmd:
        ap.print_help()
        return 2
    return {'prepare': cmd_prepare, 'suite': cmd_suite, 'demo': cmd_demo,
            'boot': cmd_boot, 'kernels': cmd_kernels,
            'check-build': cmd_check_build}[args.cmd](args)


if __name__ == '__main__':
    sys.exit(main())
