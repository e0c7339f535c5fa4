// The mode of an xl config Domus writes on the host. xl.cfg is world-readable by convention, but
// a vncpasswd/spicepasswd in it would then be readable by every account on dom0.

const DISPLAY_PASSWORD = /\b(?:vnc|spice)passwd\s*=/i;

/** 0600 when the text holds a display password (commented out or not: better too tight), else 0644. */
export function configFileMode(text: string): '0600' | '0644' {
  return DISPLAY_PASSWORD.test(text) ? '0600' : '0644';
}
