// The terminals themselves: xterm.js and noVNC are the largest libraries in the renderer, loaded
// when a console is first shown (in the Consoles view or a console's own window).
import { lazyNamed } from '../LazyArea';

export const TextConsole = lazyNamed(() => import('./TextConsole'), 'TextConsole');
export const VncConsole = lazyNamed(() => import('./VncConsole'), 'VncConsole');
