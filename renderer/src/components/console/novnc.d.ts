// The part of noVNC's RFB (an ES module without types) that VncConsole uses.
declare module '@novnc/novnc' {
  export interface RfbChannel {
    binaryType: string;
    protocol: string;
    readyState: string | number;
    onopen: ((ev?: unknown) => void) | null;
    onmessage: ((ev: { data: ArrayBuffer }) => void) | null;
    onclose: ((ev?: unknown) => void) | null;
    onerror: ((ev?: unknown) => void) | null;
    send(data: ArrayBuffer | Uint8Array): void;
    close(): void;
  }
  export default class RFB extends EventTarget {
    constructor(target: HTMLElement, urlOrChannel: string | RfbChannel, options?: { credentials?: { password?: string }; shared?: boolean });
    scaleViewport: boolean;
    resizeSession: boolean;
    viewOnly: boolean;
    focusOnClick: boolean;
    background: string;
    disconnect(): void;
    sendCredentials(credentials: { username?: string; password?: string; target?: string }): void;
    sendCtrlAltDel(): void;
    sendKey(keysym: number, code: string | null, down?: boolean): void;
    clipboardPasteFrom(text: string): void;
    focus(): void;
  }
}
