// Preloaded (NODE_OPTIONS=--require) into electron-builder and every Node process it starts for
// the package check: any TCP connection to a host other than loopback fails, so a build that
// tries to download something (Electron, its headers, a helper binary) fails the check instead of
// quietly reaching the network.
'use strict';
const net = require('node:net');

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1']);
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = first !== null && typeof first === 'object' ? first : typeof first === 'string' ? { path: first } : { host: args[1] };
  if (!options.path) {
    const host = options.host ?? 'localhost';
    if (!LOOPBACK.has(host)) {
      throw new Error(`The package check runs offline: a connection to ${host}:${options.port} was refused.`);
    }
  }
  return connect.apply(this, args);
};
