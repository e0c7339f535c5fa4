// The xl host's live figures from one long-lived python3 process in dom0: once a second while
// someone looks at them, every LIVE_IDLE_SECONDS otherwise (the driver writes the interval to the
// script's stdin; see liveRateLine). (python3 is in every Debian/Ubuntu dom0: pygrub needs it). It replaces `xentop -b -d 1` and a
// separate per-CPU reader because of what they cost dom0 (the budget for all of Domus's idle
// monitoring is 1 % of one core). Measured in the lab's dom0, each run alone over 60 samples
// with its output thrown away: xentop 1.5 s of CPU (2.5 %), most of it libxenstat's network
// collection, which compiles a regular expression for every line of /proc/net/dev every second;
// this script 0.24 s beyond its start (0.4 %). Through SSH, with sshd, the bench's figure for all
// of Domus's monitoring went from 2.3 % to 0.7 %.
//
// What it reads:
// - domains through libxenstat (xentop's own library, an ABI of opaque accessors, so no struct
//   layout is assumed) with no optional collection: id, name, state, CPU time, memory;
// - network counters from one read of /proc/net/dev (vif<domid>.<n>, and vif<domid>.<n>-emu of an
//   HVM guest's emulated NIC), turned to the guest's point of view: what dom0's vif received is
//   what the guest sent (xentop prints the vif's own view, so its NETTX is what the guest got);
// - block counters from blkback's sysfs statistics (vbd-<domid>-<dev>), the same files xentop
//   reads; disks that QEMU serves (qdisk) have no counters here, as in xentop for PV guests;
// - each physical CPU's idle time through libxenctrl's xc_getcpuinfo (XEN_SYSCTL_getcpuinfo, what
//   `xenpm get-cpuidle-states` prints as idle time). Without libxenctrl there are no 'c' lines.
//
// Output, one block per sample:
//   s <monotonic ns> <host memory bytes>
//   c <idle ns of CPU 0> <CPU 1> …
//   d <domid> <state dsbcpr> <cpu ns> <memory bytes> <max memory bytes or -> <tx bytes> <rx bytes> <read reqs> <write reqs> <name>
//   g                       (only when a guest config in /etc/xen was added, written, renamed or removed)
//   e
// or "error <why>" before it ends (no libxenstat, not allowed to open Xen): the driver then falls
// back to xentop. The name is last: it is the only field that may hold a space.
//
// A fixed script: nothing from outside is ever put into it. The optional argument is a sample
// count (for recording a fixture); without it the script runs until its channel closes (the next
// print then fails with a broken pipe and it exits).
//
// The "g" line: a stopped guest exists only as its config, and xenstore says nothing about files,
// so a config written in a shell would stay unseen until some domain event. Comparing the
// directory's and each config's stat here, in a process that wakes every second anyway, costs a
// directory read; a shell loop on the host would cost two process starts per check (170 ms of CPU
// each time in the lab's emulated dom0).
export const MONITOR_SCRIPT = [
  'import ctypes, ctypes.util, glob, os, re, select, sys, time',
  'def version(path):',
  '    return tuple(int(p) if p.isdigit() else 0 for p in path.rsplit(".so.", 1)[-1].split("."))',
  'def load(stem):',
  '    # The usual places first (a few directory reads), the newest version first: an upgrade can',
  '    # leave the libraries of the Xen before it installed. find_library runs ldconfig, a fork.',
  '    names = sorted(set(glob.glob("/usr/lib*/lib%s.so.*" % stem) + glob.glob("/usr/lib*/*/lib%s.so.*" % stem) + glob.glob("/usr/local/lib*/lib%s.so.*" % stem)), key=version, reverse=True)',
  '    for n in names + [None]:',
  '        n = n or ctypes.util.find_library(stem)',
  '        if n:',
  '            try:',
  '                return ctypes.CDLL(n)',
  '            except OSError:',
  '                pass',
  '    return None',
  'def fn(lib, name, res, *args):',
  '    f = getattr(lib, name)',
  '    f.restype = res',
  '    f.argtypes = list(args)',
  '    return f',
  'P, U, ULL = ctypes.c_void_p, ctypes.c_uint, ctypes.c_ulonglong',
  'NO_LIMIT = 2 ** 64 - 1',
  'VIF = re.compile(r"vif(\\d+)\\.\\d+")',
  'BACKENDS = "/sys/bus/xen-backend/devices"',
  'def counter(path):',
  '    try:',
  '        with open(path) as f:',
  '            return int(f.read())',
  '    except (OSError, ValueError):',
  '        return 0',
  '# monotonic_ns is Python 3.7+.',
  'clock = getattr(time, "monotonic_ns", None) or (lambda: int(time.monotonic() * 1e9))',
  'CONFIGS = "/etc/xen"',
  'def configs():',
  '    try:',
  '        found = [(os.stat(CONFIGS).st_mtime_ns,)]',
  '        for e in os.scandir(CONFIGS):',
  '            if e.name.endswith(".cfg"):',
  '                s = e.stat()',
  '                found.append((e.name, s.st_mtime_ns, s.st_size, s.st_ino))',
  '        return sorted(found, key=str)',
  '    except OSError:',
  '        return None',
  '# Seconds between samples: a line on stdin sets it ("5"), and any line means "sample now".',
  '# The driver asks for 1 while someone looks at live figures and a slower rate otherwise.',
  'def wait(interval, listen):',
  '    if not listen:',
  '        time.sleep(interval)',
  '        return interval, listen',
  '    ready, _, _ = select.select([0], [], [], interval)',
  '    if not ready:',
  '        return interval, listen',
  '    line = os.read(0, 64)',
  '    if not line:',
  '        # No one will ever write (stdin is /dev/null or was closed): keep the rate.',
  '        time.sleep(interval)',
  '        return interval, False',
  '    try:',
  '        interval = min(60.0, max(0.2, float(line.split()[-1])))',
  '    except (ValueError, IndexError):',
  '        pass',
  '    return interval, listen',
  'def main():',
  '    st = load("xenstat")',
  '    if st is None:',
  '        print("error libxenstat not found", flush=True)',
  '        return 1',
  '    init = fn(st, "xenstat_init", P)',
  '    get_node = fn(st, "xenstat_get_node", P, P, U)',
  '    free_node = fn(st, "xenstat_free_node", None, P)',
  '    tot_mem = fn(st, "xenstat_node_tot_mem", ULL, P)',
  '    count = fn(st, "xenstat_node_num_domains", U, P)',
  '    by_index = fn(st, "xenstat_node_domain_by_index", P, P, U)',
  '    d_id = fn(st, "xenstat_domain_id", U, P)',
  '    d_name = fn(st, "xenstat_domain_name", ctypes.c_char_p, P)',
  '    d_cpu = fn(st, "xenstat_domain_cpu_ns", ULL, P)',
  '    d_cur = fn(st, "xenstat_domain_cur_mem", ULL, P)',
  '    d_max = fn(st, "xenstat_domain_max_mem", ULL, P)',
  '    state = [(c, fn(st, "xenstat_domain_" + s, U, P)) for c, s in zip("dsbcpr", ("dying", "shutdown", "blocked", "crashed", "paused", "running"))]',
  '    h = init()',
  '    if not h:',
  '        print("error xenstat_init failed", flush=True)',
  '        return 1',
  '    xc = load("xenctrl")',
  '    xch = None',
  '    if xc is not None:',
  '        fn(xc, "xc_interface_open", P, P, P, U)',
  '        getcpuinfo = fn(xc, "xc_getcpuinfo", ctypes.c_int, P, ctypes.c_int, P, ctypes.POINTER(ctypes.c_int))',
  '        xch = xc.xc_interface_open(None, None, 0)',
  '    # Asked for as many CPUs as there are (plus one, to notice more): libxc bounces the whole',
  '    # buffer through the hypervisor on every call.',
  '    size = 4096',
  '    idle = (ctypes.c_uint64 * 4096)()',
  '    nr = ctypes.c_int(0)',
  '    netdev = open("/proc/net/dev", "rb")',
  '    # Bytes, not print(): a name in UTF-8 must not depend on the locale sshd gives us.',
  '    stdout = sys.stdout.buffer',
  '    left = int(sys.argv[1]) if len(sys.argv) > 1 else -1',
  '    seen = configs()',
  '    interval = 1.0',
  '    listen = True',
  '    while left != 0:',
  '        node = get_node(h, 0)',
  '        if not node:',
  '            print("error xenstat_get_node failed", flush=True)',
  '            return 1',
  '        out = ["s %d %d" % (clock(), tot_mem(node))]',
  '        if xch and getcpuinfo(xch, size, idle, ctypes.byref(nr)) == 0:',
  '            out.append("c " + " ".join(map(str, idle[:nr.value])))',
  '            size = nr.value + 1 if nr.value < size else 4096',
  '        net = {}',
  '        netdev.seek(0)',
  '        for line in netdev.read().decode().splitlines()[2:]:',
  '            name, _, rest = line.partition(":")',
  '            m = VIF.match(name.strip())',
  '            if m:',
  '                v = rest.split()',
  '                t = net.setdefault(int(m.group(1)), [0, 0])',
  '                t[0] += int(v[0])',
  '                t[1] += int(v[8])',
  '        disk = {}',
  '        try:',
  '            entries = os.listdir(BACKENDS)',
  '        except OSError:',
  '            entries = []',
  '        for e in entries:',
  '            parts = e.split("-")',
  '            if len(parts) == 3 and parts[0] in ("vbd", "tap") and parts[1].isdigit():',
  '                t = disk.setdefault(int(parts[1]), [0, 0])',
  '                t[0] += counter("%s/%s/statistics/rd_req" % (BACKENDS, e))',
  '                t[1] += counter("%s/%s/statistics/wr_req" % (BACKENDS, e))',
  '        for i in range(count(node)):',
  '            d = by_index(node, i)',
  '            domid = d_id(d)',
  '            mx = d_max(d)',
  '            n = net.get(domid, (0, 0))',
  '            k = disk.get(domid, (0, 0))',
  '            out.append("d %d %s %d %d %s %d %d %d %d %s" % (domid, "".join(c if f(d) else "-" for c, f in state), d_cpu(d), d_cur(d),',
  '                "-" if mx == NO_LIMIT else mx, n[0], n[1], k[0], k[1], (d_name(d) or b"").decode("utf-8", "replace").replace("\\n", " ")))',
  '        free_node(node)',
  '        now = configs()',
  '        if now != seen:',
  '            out.append("g")',
  '            seen = now',
  '        out.append("e")',
  '        stdout.write(("\\n".join(out) + "\\n").encode("utf-8", "replace"))',
  '        stdout.flush()',
  '        left -= 1',
  '        if left != 0:',
  '            interval, listen = wait(interval, listen)',
  '    return 0',
  'sys.exit(main())',
].join('\n');

/**
 * Seconds between samples while nothing on screen shows live figures. Each sample costs the lab's
 * emulated dom0 about 10 ms of python3 and 5 ms of sshd (1.5–2.3 % of its core at 1 Hz on a busy
 * machine; 0.35–0.63 % every 5 s); a state change that no xenstore event announces (a pause, a
 * config written in a shell) then shows within this time, or at once when a window looks.
 */
export const LIVE_IDLE_SECONDS = 10;

/** What the driver writes to the script's stdin: the interval, and "sample now". */
export function liveRateLine(watched: boolean): string {
  return `${watched ? 1 : LIVE_IDLE_SECONDS}\n`;
}

/** The monitor stream; `samples` ends it after that many samples (for fixtures). */
export function monitorArgv(samples?: number): string[] {
  return ['python3', '-c', MONITOR_SCRIPT, ...(samples ? [String(samples)] : [])];
}
