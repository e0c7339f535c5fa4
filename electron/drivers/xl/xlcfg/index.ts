// Reading and writing xl.cfg files without losing what the user wrote (comments, order, quoting).
export * from './document';
export * from './disk';
export * from './vif';
export * from './cpus';
