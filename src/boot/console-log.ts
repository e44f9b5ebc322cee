/**
 * The console of one boot: a streaming line scanner that records banners and
 * monitor lines, and a log kept bounded in size (head, then a tail window).
 */
import { emptyObservation, type BootObservation } from './classify.js';

export const MONITOR_PREFIX = '[rvc-monitor] ';
const MAX_LINE = 4096;

export interface ConsoleLogOptions {
  /** Bytes kept from the start of the output (default 1 MiB). */
  headBytes?: number;
  /** Bytes kept from the end once the head is full (default 64 KiB). */
  tailBytes?: number;
}

export class ConsoleLog {
  readonly observation: BootObservation = emptyObservation();
  private readonly headLimit: number;
  private readonly tailLimit: number;
  private head: Buffer;
  private headLen = 0;
  private ring: Buffer;
  /** Bytes written into the ring so far (the ring holds the last tailLimit of them). */
  private ringWritten = 0;
  private total = 0;
  private line = '';
  private starts = 0;
  /** Set once the result is known: the emulator can be stopped. */
  done = false;

  constructor(options: ConsoleLogOptions = {}) {
    this.headLimit = options.headBytes ?? 1024 * 1024;
    this.tailLimit = Math.max(1, options.tailBytes ?? 64 * 1024);
    this.head = Buffer.alloc(Math.min(this.headLimit, 64 * 1024));
    this.ring = Buffer.alloc(this.tailLimit);
  }

  private get dropped(): number {
    return Math.max(0, this.ringWritten - this.tailLimit);
  }

  get totalBytes(): number {
    return this.total;
  }

  get truncated(): boolean {
    return this.dropped > 0;
  }

  pushByte(b: number): void {
    this.total++;
    if (this.headLen < this.headLimit) {
      if (this.headLen === this.head.length) {
        const grown = Buffer.alloc(Math.min(this.headLimit, this.head.length * 2));
        this.head.copy(grown);
        this.head = grown;
      }
      this.head[this.headLen++] = b;
    } else {
      this.ring[this.ringWritten % this.tailLimit] = b;
      this.ringWritten++;
    }
    if (b === 0x0a) {
      this.scanLine(this.line);
      this.line = '';
    } else if (b !== 0x0d) {
      if (this.line.length < MAX_LINE) this.line += String.fromCharCode(b);
    }
  }

  push(bytes: Uint8Array | string): void {
    if (typeof bytes === 'string') for (let i = 0; i < bytes.length; i++) this.pushByte(bytes.charCodeAt(i) & 0xff);
    else for (const b of bytes) this.pushByte(b);
  }

  /** Flush a last line without newline (at the end of a boot). */
  finish(): void {
    if (this.line.length > 0) this.scanLine(this.line);
    this.line = '';
  }

  /** The kept log: head, a marker with the dropped byte count, tail. */
  text(): string {
    const head = this.head.subarray(0, this.headLen).toString('latin1');
    let tail: string;
    if (this.ringWritten <= this.tailLimit) tail = this.ring.subarray(0, this.ringWritten).toString('latin1');
    else {
      const at = this.ringWritten % this.tailLimit;
      tail = Buffer.concat([this.ring.subarray(at), this.ring.subarray(0, at)]).toString('latin1');
    }
    if (this.dropped === 0) return head + tail;
    return `${head}\n[rtems-virt-config: ${this.dropped} bytes of console output dropped]\n${tail}`;
  }

  private scanLine(raw: string): void {
    const o = this.observation;
    const idx = raw.indexOf(MONITOR_PREFIX);
    if (idx >= 0) {
      const msg = raw.slice(idx + MONITOR_PREFIX.length);
      if (msg.startsWith('start ')) {
        this.starts++;
        if (this.starts > 1) {
          o.reset = true;
          this.done = true;
        }
      } else if (msg.startsWith('fatal: ')) {
        if (o.monitorFatal === null) o.monitorFatal = msg.slice('fatal: '.length);
        this.done = true;
      } else if (msg.startsWith('invalid guest: ')) {
        o.invalidReason = `monitor: ${msg.slice('invalid guest: '.length)}`;
        this.done = true;
      } else {
        const m = /^exit status=(\d+)/.exec(msg);
        if (m) {
          o.exitStatus = Number(m[1]);
          this.done = true;
        }
      }
      return;
    }
    const b = raw.indexOf('*** ');
    if (b < 0) return;
    const rest = raw.slice(b + 4);
    if (rest.startsWith('BEGIN OF ') || rest.startsWith('BEGIN TEST ')) o.begin = true;
    else if (rest.startsWith('END OF ') || rest.startsWith('END TEST ')) {
      o.end = true;
      this.done = true;
    } else if (rest.startsWith('TEST STATE:')) {
      o.state = rest.slice('TEST STATE:'.length).trim().split(/\s+/)[0] ?? '';
      if (o.state === 'USER_INPUT' || o.state === 'BENCHMARK') this.done = true;
    } else if (rest.startsWith('FATAL')) {
      o.guestFatal = true;
      this.done = true;
    }
  }
}
