# SPDX-License-Identifier: GPL-2.0
"""The kernels of the tdxsys VM test bed, and how the project is built for
each.

A kernel is everything the bed needs to test tdxsys on one Linux build:

  name         short name, on the command line and in results ('6.12')
  release      Debian release of its guest root filesystem (debootstrap)
               and of its build root
  image()      {'kver', 'vmlinuz', 'moddir'}: the kernel and its modules,
               cached (Debian's linux-image-<abi>-amd64-unsigned, fetched
               with apt and unpacked, never installed)
  builder()    where tdx_sys.ko/tdx_emu.ko and tdxctl are built for it: the
               host, or a debootstrap build root of its release (chroot)
  kdir()       its kbuild tree, as the builder sees it (M= and DKMS builds)

KERNELS lists them; the first is the default (make demo).  A new kernel is
a subclass of Kernel (image(), kdir(), builder(), release) plus one
register() call; the bed builds, boots and names results for every
registered kernel the same way.  Modules are always built for a kernel
explicitly (-k/KVER), never for the host's running kernel.

Python 3 standard library only.
"""

import contextlib
import fcntl
import glob
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CACHE = os.environ.get('TDXSYS_CACHE') or '/var/cache/tdxsys'
KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg'
DEFAULT_MIRROR = 'http://deb.debian.org/debian'
DEFAULT_SECURITY = 'http://deb.debian.org/debian-security'
APT_LISTS_MAX_AGE = 12 * 3600       # private apt lists older: apt-get update

# What a build needs of the source tree (tests/ and build products stay).
SOURCE_ENTRIES = ('Kbuild', 'Makefile', 'dkms.conf', 'README.md', 'kernel',
                  'emu', 'lib', 'tools', 'udev-rules', 'systemd-units',
                  'docs')
SOURCE_IGNORE = shutil.ignore_patterns(
    '*.o', '*.ko', '*.ko.*', '*.mod', '*.mod.c', '.*.cmd', '*.a', 'tdxctl',
    'Module.symvers', 'modules.order', '.tmp_versions')


class BedError(Exception):
    pass


# --------------------------------------------------------------------------
# timing and small helpers

TIMINGS = []


def phase_done(name, t0, note=''):
    secs = time.monotonic() - t0
    TIMINGS.append((name, secs, note))
    print('# phase %s: %.1fs%s' % (name, secs, ' (%s)' % note if note else ''),
          flush=True)
    return secs


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE,
                          universal_newlines=True, **kw).stdout


def file_hash(*paths, extra=()):
    h = hashlib.sha256()
    for p in paths:
        with open(p, 'rb') as f:
            h.update(f.read())
    for e in extra:
        h.update(b'\0' + e.encode())
    return h.hexdigest()[:16]


@contextlib.contextmanager
def cache_lock(name):
    """Serialize building one cache entry between concurrent bed runs (the
    cache is shared by everyone on the machine)."""
    os.makedirs(CACHE, exist_ok=True)
    with open(os.path.join(CACHE, '.lock-' + name), 'w') as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def atomic_dir(final, build):
    """Run build(tmpdir) and move the result to final; a crash leaves no
    half-built cache entry behind."""
    os.makedirs(os.path.dirname(final), exist_ok=True)
    tmp = tempfile.mkdtemp(prefix='.tmp-', dir=os.path.dirname(final))
    try:
        build(tmp)
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


# --------------------------------------------------------------------------
# Debian archives: mirrors and apt per release

def _host_sources():
    """(uri, suite) pairs of the host's apt sources."""
    files = ['/etc/apt/sources.list'] + sorted(
        glob.glob('/etc/apt/sources.list.d/*.list') +
        glob.glob('/etc/apt/sources.list.d/*.sources'))
    out = []
    for path in files:
        try:
            text = open(path).read()
        except OSError:
            continue
        if path.endswith('.sources'):
            for stanza in re.split(r'\n\s*\n', text):
                f = {}
                for line in stanza.splitlines():
                    m = re.match(r'([A-Za-z-]+):\s*(.*)', line)
                    if m:
                        f[m.group(1).lower()] = m.group(2).split()
                if 'deb' in f.get('types', []):
                    out += [(u, s) for u in f.get('uris', [])
                            for s in f.get('suites', [])]
        else:
            for line in text.splitlines():
                w = re.sub(r'\[[^]]*\]', '', line.split('#')[0]).split()
                if len(w) >= 3 and w[0] == 'deb':
                    out.append((w[1], w[2]))
    return out


def debian_mirror():
    """The Debian mirror the host uses (any release: one archive holds
    them all), else deb.debian.org; TDXSYS_MIRROR overrides."""
    env = os.environ.get('TDXSYS_MIRROR')
    if env:
        return env
    for uri, suite in _host_sources():
        if re.fullmatch(r'(bookworm|trixie|forky|sid|stable|testing)',
                        suite) and '/debian' in uri:
            return uri
    return DEFAULT_MIRROR


def security_mirror():
    env = os.environ.get('TDXSYS_SECURITY_MIRROR')
    if env:
        return env
    for uri, suite in _host_sources():
        if suite.endswith('-security'):
            return uri
    return DEFAULT_SECURITY


class Apt:
    """apt for one Debian release.  host=True uses the host's own apt
    configuration (the host runs that release: Debian 12 for bookworm).
    Otherwise a private configuration under the cache (its own
    sources.list, lists, archives and status file, passed with -o
    Dir::...), so another release is reached without touching the host's
    apt sources."""

    def __init__(self, release, host=False):
        self.release = release
        self.host = host
        self.dir = os.path.join(CACHE, 'apt-' + release)

    def opts(self):
        if self.host:
            return []
        d = self.dir
        return ['-o', 'Dir::Etc::sourcelist=%s/sources.list' % d,
                '-o', 'Dir::Etc::sourceparts=%s/sources.list.d' % d,
                '-o', 'Dir::Etc::preferences=%s/preferences' % d,
                '-o', 'Dir::Etc::preferencesparts=%s/preferences.d' % d,
                '-o', 'Dir::State=%s/state' % d,
                '-o', 'Dir::State::status=%s/state/status' % d,
                '-o', 'Dir::Cache=%s/cache' % d,
                '-o', 'APT::Architecture=amd64',
                '-o', 'APT::Architectures=amd64']

    def sources(self):
        return ''.join('deb [signed-by=%s] %s %s main\n' % (KEYRING, uri, s)
                       for uri, s in ((debian_mirror(), self.release),
                                      (security_mirror(),
                                       self.release + '-security')))

    def update(self, force=False):
        """Private lists: fetched when missing, stale or for other sources."""
        if self.host and not force:
            return
        if self.host:
            subprocess.run(['apt-get', 'update', '-q'],
                           stdout=subprocess.DEVNULL)
            return
        with cache_lock('apt-' + self.release):
            src = os.path.join(self.dir, 'sources.list')
            stamp = os.path.join(self.dir, 'state', 'updated')
            want = self.sources()
            fresh = os.path.exists(stamp) and \
                time.time() - os.path.getmtime(stamp) < APT_LISTS_MAX_AGE and \
                os.path.exists(src) and open(src).read() == want
            if fresh and not force:
                return
            for d in ('sources.list.d', 'preferences.d',
                      'state/lists/partial', 'cache/archives/partial'):
                os.makedirs(os.path.join(self.dir, d), exist_ok=True)
            with open(src, 'w') as f:
                f.write(want)
            open(os.path.join(self.dir, 'state', 'status'), 'a').close()
            r = subprocess.run(['apt-get'] + self.opts() + ['update', '-q'],
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT,
                               universal_newlines=True)
            if r.returncode != 0:
                raise BedError('apt-get update (%s) failed:\n%s'
                               % (self.release, r.stdout[-2000:]))
            open(stamp, 'w').close()

    def show(self, pkg, field):
        """field of apt's candidate version of pkg."""
        self.update()
        out = run(['apt-cache'] + self.opts() + ['show', '--no-all-versions',
                                                 pkg],
                  stderr=subprocess.DEVNULL)
        m = re.search(r'^%s:\s*(.*)$' % field, out, re.M)
        if not m:
            raise BedError('apt (%s) knows no %s' % (self.release, pkg))
        return m.group(1)

    def download(self, spec, dest):
        cmd = ['apt-get'] + self.opts() + ['download', '-q', spec]
        for attempt in (1, 2):
            r = subprocess.run(cmd, cwd=dest, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT,
                               universal_newlines=True)
            if r.returncode == 0:
                return
            if attempt == 1:
                print('# apt-get download failed, running apt-get update',
                      flush=True)
                self.update(force=True)
        raise BedError('apt-get download %s (%s) failed:\n%s'
                       % (spec, self.release, r.stdout))


# --------------------------------------------------------------------------
# guest root filesystems and build roots, one per release

DEBOOTSTRAP_SH = os.path.join(HERE, 'bed-debootstrap.sh')


def ensure_rootfs(release):
    """The guest base archive of a release (mkrootfs.sh), cached by a hash
    of its inputs."""
    t0 = time.monotonic()
    script = os.path.join(HERE, 'mkrootfs.sh')
    pkgs = os.path.join(HERE, 'guest-packages.txt')
    mirror = debian_mirror()
    key = file_hash(script, DEBOOTSTRAP_SH, pkgs, extra=(release,))
    path = os.path.join(CACHE, 'rootfs-%s-%s.cpio.zst' % (release, key))
    note = 'cached'
    with cache_lock('rootfs-' + release):
        if not os.path.isfile(path):
            note = 'built from %s' % mirror
            r = subprocess.run(['bash', script, path, mirror, pkgs, release])
            if r.returncode != 0 or not os.path.isfile(path):
                raise BedError('rootfs build failed (mkrootfs.sh %s)'
                               % release)
    phase_done('rootfs-' + release, t0, note)
    return path


def ensure_buildroot(release, kabi):
    """A debootstrap build root of a release holding linux-headers-kabi
    (mkbuildroot.sh), cached by a hash of its inputs."""
    t0 = time.monotonic()
    script = os.path.join(HERE, 'mkbuildroot.sh')
    pkgs = os.path.join(HERE, 'buildroot-packages.txt')
    mirror, sec = debian_mirror(), security_mirror()
    key = file_hash(script, DEBOOTSTRAP_SH, pkgs, extra=(release, kabi))
    path = os.path.join(CACHE, 'buildroot-%s-%s' % (release, key))
    note = 'cached'
    with cache_lock('buildroot-' + release):
        if not os.path.isfile(os.path.join(path, 'usr', 'src',
                                           'linux-headers-%s' % kabi,
                                           'Makefile')):
            if os.path.exists(path):
                shutil.rmtree(path)     # incomplete: rebuild
            note = 'built from %s' % mirror
            r = subprocess.run(['bash', script, path, release, mirror, sec,
                                kabi, pkgs])
            if r.returncode != 0 or not os.path.isdir(path):
                raise BedError('build root failed (mkbuildroot.sh %s %s)'
                               % (release, kabi))
    phase_done('buildroot-' + release, t0, note)
    return path


# --------------------------------------------------------------------------
# where builds run

class Builder:
    """Runs build commands for a kernel: on the host (root None) or in a
    chroot.  workdir() gives a fresh directory as (host path, path seen by
    the build)."""

    def __init__(self, root=None):
        self.root = root

    def describe(self):
        return 'host' if self.root is None else 'chroot %s' % self.root

    def workdir(self, hint):
        base = os.path.join(self.root, 'build') if self.root else \
            os.path.join(CACHE, 'build')
        os.makedirs(base, exist_ok=True)
        host = tempfile.mkdtemp(prefix=hint + '-', dir=base)
        os.chmod(host, 0o755)
        inside = '/build/' + os.path.basename(host) if self.root else host
        return host, inside

    def run(self, argv, log, env=None):
        e = dict(os.environ if self.root is None else
                 {'PATH': '/usr/sbin:/usr/bin:/sbin:/bin', 'HOME': '/root',
                  'LC_ALL': 'C.UTF-8'})
        for v in ('MAKEFLAGS', 'MFLAGS', 'MAKELEVEL', 'MAKEOVERRIDES'):
            e.pop(v, None)      # a build of its own, not part of make test
        e.update(env or {})
        cmd = list(argv) if self.root is None else \
            ['chroot', self.root] + list(argv)
        log.write('$ %s\n' % ' '.join(cmd))
        log.flush()
        r = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, env=e)
        if r.returncode != 0:
            raise BedError('%s failed (%s, exit %d); log: %s'
                           % (' '.join(argv[:4]), self.describe(),
                              r.returncode, log.name))


def export_source(dest):
    """Copy what a build needs of the source tree (work tree state, not
    only what is committed) to dest."""
    os.makedirs(dest, exist_ok=True)
    for e in SOURCE_ENTRIES:
        src = os.path.join(ROOT, e)
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(dest, e), ignore=SOURCE_IGNORE)
        elif os.path.isfile(src):
            shutil.copy2(src, dest)


def dkms_package():
    """(name, version) from dkms.conf."""
    text = open(os.path.join(ROOT, 'dkms.conf')).read()
    name = re.search(r'^PACKAGE_NAME="?([^"\n]+)', text, re.M).group(1)
    ver = re.search(r'^PACKAGE_VERSION="?([^"\n]+)', text, re.M).group(1)
    return name, ver


# --------------------------------------------------------------------------
# kernels

class Kernel:
    """Base of the bed's kernels; see the module docstring.  cmdline: what
    every boot of it adds to the kernel command line; lacks: {bed
    capability: why this kernel cannot offer it}, for scenarios that say
    they need it ('# needs: vcpu-hotadd')."""
    name = None
    release = None
    cmdline = ''
    lacks = {}

    def image(self):
        raise NotImplementedError

    def kabi(self):
        return self.image()['kver']

    def kdir(self):
        raise NotImplementedError

    def builder(self):
        return Builder()

    def install(self, stage, log):
        """tdxctl & co. (make install-tools) and tdx_sys.ko/tdx_emu.ko
        through DKMS (add, build, install into a private tree, as an
        operator's dkms install does into /lib/modules) into stage, for
        this kernel; returns a text describing the DKMS install."""
        t0 = time.monotonic()
        b = self.builder()
        kabi, kdir = self.kabi(), self.kdir()
        host_w, w = b.workdir('install-' + self.name)
        try:
            export_source(os.path.join(host_w, 'src'))
            b.run(['make', '-C', w + '/src', 'install-tools',
                   'DESTDIR=' + w + '/stage'], log)
            b.run(['make', '-C', w + '/src', 'dkms-src',
                   'DESTDIR=' + w + '/dkms-src'], log)
            name, ver = dkms_package()
            os.makedirs(os.path.join(host_w, 'modules', kabi))
            os.makedirs(os.path.join(host_w, 'dkms'))
            # As on a host: /lib/modules/<abi>/build is the kbuild tree
            # (dkms finds sign-file there).
            build_link = os.path.join(host_w, 'modules', kabi, 'build')
            os.symlink(kdir, build_link)
            trees = ['--sourcetree', w + '/dkms-src/usr/src',
                     '--dkmstree', w + '/dkms', '--installtree',
                     w + '/modules', '--kernelsourcedir', kdir]
            # dkms signs what it builds, as on a host; keep the key private.
            env = {'mok_signing_key': w + '/mok.key',
                   'mok_certificate': w + '/mok.pub'}
            mv = '%s/%s' % (name, ver)
            b.run(['dkms', 'add', mv] + trees, log, env)
            b.run(['dkms', 'build', mv, '-k', kabi] + trees, log, env)
            b.run(['dkms', 'install', mv, '-k', kabi, '--no-depmod'] + trees,
                  log, env)
            status = subprocess.run(
                (['chroot', b.root] if b.root else []) +
                ['dkms', 'status', mv, '-k', kabi] + trees,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                universal_newlines=True).stdout.strip()
            merge_tree(os.path.join(host_w, 'stage'), stage)
            os.unlink(build_link)
            merge_tree(os.path.join(host_w, 'modules'),
                       os.path.join(stage, 'lib', 'modules'))
        finally:
            shutil.rmtree(host_w, ignore_errors=True)
        phase_done('build-' + self.name, t0, b.describe())
        return status

    def check_build(self, log):
        """make modules W=1 KCFLAGS=-Werror for this kernel, and tdxctl
        with -Werror by its builder's compiler (make check)."""
        t0 = time.monotonic()
        b = self.builder()
        host_w, w = b.workdir('check-' + self.name)
        try:
            export_source(os.path.join(host_w, 'src'))
            b.run(['make', '-C', w + '/src', 'modules', 'W=1',
                   'KCFLAGS=-Werror', 'KVER=' + self.kabi(),
                   'KDIR=' + self.kdir()], log)
            b.run(['make', '-C', w + '/src', 'tools'], log)
        finally:
            shutil.rmtree(host_w, ignore_errors=True)
        phase_done('check-build-' + self.name, t0, self.kabi())


def merge_tree(src, dst):
    """Copy tree src into dst, merging directories."""
    if not os.path.isdir(src):
        return
    os.makedirs(dst, exist_ok=True)
    for name in os.listdir(src):
        s, d = os.path.join(src, name), os.path.join(dst, name)
        if os.path.isdir(s) and not os.path.islink(s):
            merge_tree(s, d)
        else:
            if os.path.lexists(d):
                os.unlink(d)
            shutil.copy2(s, d, follow_symlinks=False)


class DebianKernel(Kernel):
    """Debian's kernel of a release: the ABI that release's
    linux-headers-amd64 points to, its linux-image-<abi>-amd64-unsigned.

    host_build=True: the host runs this release; the headers are installed
    on the host (scripts/deps.sh) and modules are built there.  Otherwise
    a debootstrap build root of the release with linux-headers-<abi>
    (that release's gcc), reached through a private apt configuration."""

    def __init__(self, name, release, host_build, cmdline='', lacks=None):
        self.name, self.release = name, release
        self.host_build = host_build
        self.cmdline = cmdline
        self.lacks = lacks or {}
        self.slowdown = 1        # every timeout of a boot is multiplied by it
        self.apt = Apt(release, host=host_build)
        self._abi = None
        self._image = None
        self._root = None

    def abi_version(self):
        """(abi, package version) of the kernel to test."""
        if self._abi:
            return self._abi
        if self.host_build:
            abi, ver = self._host_headers()
        else:
            dep = self.apt.show('linux-headers-amd64', 'Depends')
            m = re.search(r'linux-headers-(\S+-amd64)\s*\(=\s*([^)\s]+)', dep)
            if not m:
                raise BedError('%s: linux-headers-amd64 depends on %r'
                               % (self.release, dep))
            abi, ver = m.group(1), m.group(2)
        self._abi = (abi, ver)
        return self._abi

    def _host_headers(self):
        try:
            dep = run(['dpkg-query', '-W', '-f=${Depends}',
                       'linux-headers-amd64'], stderr=subprocess.DEVNULL)
            m = re.search(r'linux-headers-(\S+-amd64)\b', dep)
            abi = m.group(1) if m else None
        except (subprocess.CalledProcessError, OSError):
            abi = None
        if not abi or not os.path.isdir('/usr/src/linux-headers-' + abi):
            raise BedError('linux-headers-amd64 (%s) is not installed: run '
                           'make deps' % self.release)
        ver = run(['dpkg-query', '-W', '-f=${Version}',
                   'linux-headers-' + abi]).strip()
        return abi, ver

    def kabi(self):
        return self.abi_version()[0]

    def image(self):
        if self._image:
            return self._image
        t0 = time.monotonic()
        kabi, ver = self.abi_version()
        pkg = 'linux-image-%s-unsigned' % kabi
        kdir = os.path.join(CACHE, 'kernel-%s_%s' % (pkg, ver))
        note = 'cached'
        with cache_lock('kernel-' + self.release):
            if not os.path.isdir(kdir):
                note = 'downloaded %s=%s' % (pkg, ver)

                def build(tmp):
                    dl = os.path.join(tmp, 'dl')
                    os.mkdir(dl)
                    try:
                        self.apt.download('%s=%s' % (pkg, ver), dl)
                    except BedError:
                        self.apt.download(pkg, dl)  # that version is gone
                    deb = glob.glob(os.path.join(dl, '*.deb'))[0]
                    run(['dpkg-deb', '-x', deb, tmp])
                    shutil.rmtree(dl)
                atomic_dir(kdir, build)
        vmlinuz = os.path.join(kdir, 'boot', 'vmlinuz-' + kabi)
        # bookworm ships /lib/modules, trixie (merged /usr) /usr/lib/modules
        moddir = next((d for d in (os.path.join(kdir, p, 'modules', kabi)
                                   for p in ('lib', 'usr/lib'))
                       if os.path.isdir(d)), '')
        if not os.path.isfile(vmlinuz) or not os.path.isdir(moddir):
            raise BedError('%s lacks vmlinuz or modules; remove it' % kdir)
        phase_done('kernel-' + self.name, t0, note)
        self._image = {'kver': kabi, 'vmlinuz': vmlinuz, 'moddir': moddir}
        return self._image

    def kdir(self):
        return '/usr/src/linux-headers-' + self.kabi()

    def builder(self):
        if self.host_build:
            return Builder()
        if not self._root:
            self._root = ensure_buildroot(self.release, self.kabi())
        return Builder(self._root)


class DebugKernel(Kernel):
    """Debian's linux-source-6.1 (the test kernel's version) built by
    debug-kernel/build.sh with debug-kernel/config.fragment: a trimmed
    config with lockdep, KASAN, kmemleak, UBSAN, DEBUG_LIST, ODEBUG and the
    hung-task and soft-lockup detectors.  Cached as
    kernel-debug-<source version>-<hash of the fragment, build.sh and the
    compiler>; a missing entry is built (minutes: see tests/vm/README.md).
    Modules are built on the host against the build's own kbuild tree.
    Its boots force a kmemleak scan at the end (tdxtest.kmemleak=1) and
    every report fails the boot (KERNEL_BAD in tdxvm.py)."""
    SOURCE_PKG = 'linux-source-6.1'
    DIR = os.path.join(HERE, 'debug-kernel')

    def __init__(self, name, release):
        self.name, self.release = name, release
        self.cmdline = 'tdxtest.kmemleak=1'
        # KASAN, lockdep and kmemleak under TCG: boots of 8-10 minutes
        # on a loaded 2-core host; every timeout of a boot scales
        self.slowdown = 4
        self.lacks = {}
        self._image = None

    def cache_dir(self):
        try:
            ver = run(['dpkg-query', '-W', '-f=${Version}', self.SOURCE_PKG],
                      stderr=subprocess.DEVNULL).strip()
            cc = run(['gcc', '-dumpfullversion']).strip()
        except (subprocess.CalledProcessError, OSError):
            raise BedError('%s or gcc is not installed: run make deps'
                           % self.SOURCE_PKG)
        key = file_hash(os.path.join(self.DIR, 'config.fragment'),
                        os.path.join(self.DIR, 'build.sh'), extra=(cc,))
        return os.path.join(CACHE, 'kernel-debug-%s-%s' % (ver, key))

    def image(self):
        if self._image:
            return self._image
        t0 = time.monotonic()
        final = self.cache_dir()
        note = 'cached'
        with cache_lock('kernel-debug'):
            if not os.path.isfile(os.path.join(final, 'kver')):
                if os.path.exists(final):
                    shutil.rmtree(final)    # incomplete: rebuild
                jobs = os.environ.get('TDXSYS_DEBUG_JOBS') or \
                    str(os.cpu_count() or 2)
                log = final + '.log'
                print('# building the debug kernel (-j%s), log %s'
                      % (jobs, log), flush=True)

                def build(tmp):
                    with open(log, 'w') as f:
                        r = subprocess.run(
                            [os.path.join(self.DIR, 'build.sh'), tmp, jobs],
                            stdout=f, stderr=subprocess.STDOUT)
                    if r.returncode != 0:
                        raise BedError('debug kernel build failed, log %s:\n'
                                       '%s' % (log, open(log, errors='replace')
                                               .read()[-3000:]))
                atomic_dir(final, build)
                note = 'built in %.0fs' % (time.monotonic() - t0)
        kver = open(os.path.join(final, 'kver')).read().strip()
        self._image = {'kver': kver,
                       'vmlinuz': os.path.join(final, 'boot',
                                               'vmlinuz-' + kver),
                       'moddir': os.path.join(final, 'lib', 'modules', kver),
                       'kbuild': os.path.join(final, 'kbuild')}
        for p in ('vmlinuz', 'moddir', 'kbuild'):
            if not os.path.exists(self._image[p]):
                raise BedError('%s lacks %s; remove it' % (final, p))
        phase_done('kernel-' + self.name, t0, note)
        return self._image

    def kdir(self):
        return self.image()['kbuild']


KERNELS = []


def register(kernel, default=True):
    """Add a kernel to the bed; default=False: only when named (--kernels,
    KERNELS=), not in a plain `make test`."""
    kernel.default = default
    KERNELS.append(kernel)
    return kernel


# Debian 12 (the host's own release) and Debian 13.
register(DebianKernel('6.1', 'bookworm', host_build=True))
register(DebianKernel(
    '6.12', 'trixie', host_build=False,
    # Debian 13 builds 6.12 with MHP_DEFAULT_ONLINE_TYPE_ONLINE_AUTO: the
    # kernel itself onlines hot-added memory.  tdxsys decides onlining in
    # user space (udev rule + tdxctl), as on Debian 12 by default; an
    # operator sets the same (docs: README, installing).
    cmdline='memhp_default_state=offline',
    lacks={'vcpu-hotadd':
           'Linux 6.12 counts MADT LAPIC entries that are not enabled as '
           'hot-pluggable CPUs only under a hypervisor it recognizes, and '
           'it takes QEMU TCG for bare metal ("Allowing 2 present CPUs '
           'plus 0 hotplug CPUs"): no vCPU can be hot-added'}))
# The debug lane (make test-debug): only when named.
register(DebugKernel('debug', 'bookworm'), default=False)


def select(names):
    """Kernels named in names (list or comma/space separated string), in
    that order; every default kernel when empty."""
    if isinstance(names, str):
        names = names.replace(',', ' ').split()
    if not names:
        return [k for k in KERNELS if k.default]
    by = {k.name: k for k in KERNELS}
    bad = [n for n in names if n not in by]
    if bad:
        raise BedError('unknown kernel %s (known: %s)'
                       % (', '.join(bad), ' '.join(by)))
    return [by[n] for n in names]
