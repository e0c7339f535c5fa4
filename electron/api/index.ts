export * from './errors';
export * from './hosts';
export * from './guests';
export * from './events';
export * from './methods';
export * from './tasks';
export * from './common';
