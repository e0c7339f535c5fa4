// Per-physical-CPU load on an xl host. Xen counts, for every physical CPU, the time its idle vCPU
// has run (libxenctrl's xc_getcpuinfo → XEN_SYSCTL_getcpuinfo, the figure `xenpm
// get-cpuidle-states` prints as "idle time"); busy % = 1 − Δidle / Δtime. Neither xentop nor
// `xl vcpu-list` gives this (summing vCPU time per pCPU misses Xen's own work and is not what a
// CPU did).
//
// Why not run `xenpm get-cpuidle-states` every second: under the lab's emulation one xenpm run
// costs dom0 about 100 ms of CPU (it is a fresh process that opens libxc each time) — 10 % of a
// core at 1 Hz, against a budget of 1 % for all of Domus's monitoring. Instead one long-lived
// python3 process (python3 is in every Debian/Ubuntu dom0: pygrub needs it) loads libxenctrl once
// through ctypes and prints one line a second: "idle <monotonic ns> <idle ns of CPU 0> <CPU 1> …".
// One hypercall and one line per second. Where python3 or libxenctrl is missing it prints
// "error <why>" and ends; the host then simply has no per-CPU graph.
//
// A fixed script: nothing from outside is ever put into it. The optional argument is a sample
// count (for recording a fixture); without it the script runs until its channel closes (the next
// print then fails with a broken pipe and it exits).
export const PCPU_IDLE_SCRIPT = [
  'import ctypes, ctypes.util, glob, sys, time',
  'def lib():',
  '    # The usual places first (a few directory reads); find_library runs ldconfig, a fork.',
  '    names = sorted(glob.glob("/usr/lib*/libxenctrl.so.*") + glob.glob("/usr/lib*/*/libxenctrl.so.*") + glob.glob("/usr/local/lib*/libxenctrl.so.*"))',
  '    for n in names + ["find_library"]:',
  '        if n == "find_library":',
  '            n = ctypes.util.find_library("xenctrl")',
  '        if n:',
  '            try:',
  '                return ctypes.CDLL(n)',
  '            except OSError:',
  '                pass',
  '    return None',
  'def main():',
  '    xc = lib()',
  '    if xc is None:',
  '        print("error libxenctrl not found", flush=True)',
  '        return 1',
  '    xc.xc_interface_open.restype = ctypes.c_void_p',
  '    xc.xc_interface_open.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_uint]',
  '    xc.xc_getcpuinfo.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]',
  '    h = xc.xc_interface_open(None, None, 0)',
  '    if not h:',
  '        print("error xc_interface_open failed", flush=True)',
  '        return 1',
  '    size = 4096',
  '    info = (ctypes.c_uint64 * size)()',
  '    nr = ctypes.c_int(0)',
  '    left = int(sys.argv[1]) if len(sys.argv) > 1 else -1',
  '    while left != 0:',
  '        if xc.xc_getcpuinfo(h, size, info, ctypes.byref(nr)) != 0:',
  '            print("error xc_getcpuinfo failed", flush=True)',
  '            return 1',
  '        print("idle", time.monotonic_ns(), *info[:nr.value], flush=True)',
  '        left -= 1',
  '        if left != 0:',
  '            time.sleep(1)',
  '    return 0',
  'sys.exit(main())',
].join('\n');

/** The per-pCPU idle stream; `samples` ends it after that many lines (for fixtures). */
export function pcpuIdleArgv(samples?: number): string[] {
  return ['python3', '-c', PCPU_IDLE_SCRIPT, ...(samples ? [String(samples)] : [])];
}
