#!/usr/bin/env python3
"""Host test (TAP) of how the bed reads a guest console: which crashes
make it boot again (retry_reason) and which count against the scenarios.
Fixture: tests/data/consoles/6.12-int3-stale.log, a real 6.12 boot under
TCG that trapped on an INT3 the kernel had already patched back to a NOP
("66 <90>"); the other cases are that log edited as each test says."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import tdxvm  # noqa: E402

FIXTURE = os.path.join(HERE, '..', 'data', 'consoles',
                       '6.12-int3-stale.log')


class Console:
    """What retry_reason() reads of a Boot."""

    def __init__(self, lines, boot_secs):
        self.lines, self.boot_secs = lines, boot_secs

    def console_lines(self):
        return self.lines


def edit(lines, old, new):
    out = [l.replace(old, new) for l in lines]
    assert out != lines, 'fixture lacks %r' % old
    return out


def main():
    real = open(FIXTURE).read().splitlines()
    # The same oops, but after the test service started and with tdx_sys
    # loaded, as CI's 6.12 lifecycle-suspend crash (rt_sigprocmask) was.
    late = edit(real, 'Not tainted', 'Tainted: G           OE     ')
    cases = [
        ('real stale INT3 before user space ran: retried', real, None,
         'before any tdxsys module'),
        ('stale INT3 after tdx_sys was loaded: retried', late, 30.0,
         'QEMU ran an INT3'),
        ('stale INT3, 6.1 oops header: retried',
         edit(late, 'Oops: int3:', 'int3:'), 30.0, 'QEMU ran an INT3'),
        ('INT3 still in memory (cc before RIP): counts',
         edit(late, '66 <90>', 'cc <90>'), 30.0, None),
        ('general protection fault after tdx_sys: counts',
         edit(late, 'Oops: int3: 0000', 'Oops: general protection fault'),
         30.0, None),
        ('int3 oops without a Code: line: counts',
         [l for l in late if 'Code:' not in l], 30.0, None),
        ('GPF before user space started: retried',
         edit([l for l in real if 'init process' not in l],
              'Oops: int3: 0000', 'Oops: general protection fault'),
         None, 'before any tdxsys module'),
        ('clean boot: counts',
         [l for l in real if 'Oops' not in l and 'panic' not in l and
          'Code:' not in l], 30.0, None),
    ]
    print('1..%d' % len(cases))
    for i, (name, lines, boot_secs, want) in enumerate(cases, 1):
        got = tdxvm.retry_reason(Console(lines, boot_secs))
        ok = (got is None) if want is None else \
            (got is not None and want in got[0])
        print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
        if not ok:
            print('# got %r' % (got,))
    return 0


if __name__ == '__main__':
    sys.exit(main())
