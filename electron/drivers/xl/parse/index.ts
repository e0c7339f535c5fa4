// Parsers of xl / xentop / xenstore / lspci output: pure functions from text to typed objects.
export * from './util';
export * from './info';
export * from './list';
export * from './list-long';
export * from './xentop';
export * from './vcpu-list';
export * from './sched';
export * from './cpupool';
export * from './pci';
export * from './lspci';
export * from './xenstore';
export * from './network-list';
export * from './error';
export * from './dmesg';
export * from './list-cpupool';
export * from './uptime';
