import { describe, expect, it } from 'vitest';
import { classify, emptyObservation, type BootObservation } from '../../src/boot/classify.js';
import { ConsoleLog } from '../../src/boot/console-log.js';

function observe(text: string, extra: Partial<BootObservation> = {}): BootObservation {
  const log = new ConsoleLog();
  log.push(text);
  log.finish();
  return { ...log.observation, ...extra };
}

describe('classify (the RTEMS tester classes)', () => {
  it.each<[string, string, Partial<BootObservation>, string]>([
    ['begin and end', '*** BEGIN OF TEST X ***\n*** END OF TEST X ***\n', {}, 'passed'],
    ['RTEMS 5 banner spelling', '*** BEGIN TEST X ***\n*** END TEST X ***\n', {}, 'passed'],
    ['begin, no end, exit', '*** BEGIN OF TEST X ***\n[rvc-monitor] exit status=3\n', {}, 'failed'],
    ['begin, timeout', '*** BEGIN OF TEST X ***\n', { timedOut: true }, 'timeout'],
    ['nothing', 'garbage\n', {}, 'invalid'],
    ['nothing, timeout', '', { timedOut: true }, 'timeout'],
    ['expected fail that fails', '*** BEGIN OF TEST X ***\n*** TEST STATE: EXPECTED_FAIL\n', {}, 'expected-fail'],
    ['expected fail that passes', '*** BEGIN OF TEST X ***\n*** TEST STATE: EXPECTED_FAIL\n*** END OF TEST X ***\n', {}, 'passed'],
    ['expected pass is plain', '*** BEGIN OF TEST X ***\n*** TEST STATE: EXPECTED_PASS\n*** END OF TEST X ***\n', {}, 'passed'],
    ['user input', '*** BEGIN OF TEST X ***\n*** TEST STATE: USER_INPUT\n', { timedOut: true }, 'user-input'],
    ['indeterminate without end', '*** BEGIN OF TEST X ***\n*** TEST STATE: INDETERMINATE\n', {}, 'indeterminate'],
    ['benchmark', '*** BEGIN OF TEST X ***\n*** TEST STATE: BENCHMARK\n', {}, 'benchmark'],
    ['unknown state', '*** BEGIN OF TEST X ***\n*** TEST STATE: SOMETIMES\n', {}, 'invalid'],
    ['monitor fatal', '*** BEGIN OF TEST X ***\n[rvc-monitor] fatal: privileged instruction hlt at 0x00400010\n', {}, 'fatal-error'],
    ['guest fatal banner', '*** BEGIN OF TEST X ***\n*** FATAL ***\n', {}, 'fatal-error'],
    ['triple fault (monitor restarted)', '[rvc-monitor] start interface=1\n*** BEGIN OF TEST X ***\n[rvc-monitor] start interface=1\n', {}, 'fatal-error'],
    ['fatal in an expected-fail test', '*** TEST STATE: EXPECTED_FAIL\n[rvc-monitor] fatal: page fault (#PF)\n', {}, 'expected-fail'],
    ['loader refused the image', '[rvc-monitor] invalid guest: not an ELF file, size 0x00000010\n', {}, 'invalid'],
  ])('%s', (_name, text, extra, expected) => {
    expect(classify(observe(text, extra)).result).toBe(expected);
  });

  it('names the instruction and address of a monitor fatal', () => {
    const c = classify(observe('[rvc-monitor] fatal: privileged instruction cli at 0x00400123\n'));
    expect(c).toEqual({ result: 'fatal-error', reason: 'privileged instruction cli at 0x00400123' });
  });

  it('an emulator failure is invalid, with the emulator message', () => {
    const c = classify({ ...emptyObservation(), emulatorError: 'qemu-system-i386 is not installed' });
    expect(c.result).toBe('invalid');
    expect(c.reason).toContain('qemu-system-i386 is not installed');
  });
});

describe('ConsoleLog', () => {
  it('is done at the end banner, at a fatal and at exit, not before', () => {
    const log = new ConsoleLog();
    log.push('*** BEGIN OF TEST X ***\nworking\n');
    expect(log.done).toBe(false);
    log.push('*** END OF TEST X ***');
    expect(log.done).toBe(false); // the line is not complete yet
    log.push('\n');
    expect(log.done).toBe(true);
  });

  it('finds a monitor line that follows guest text on the same output line', () => {
    const log = new ConsoleLog();
    log.push('partial guest line[rvc-monitor] exit status=0\n');
    expect(log.observation.exitStatus).toBe(0);
  });

  it('keeps head and tail within bounds and says how much it dropped', () => {
    const log = new ConsoleLog({ headBytes: 100, tailBytes: 50 });
    log.push('*** BEGIN OF TEST X ***\n');
    for (let i = 0; i < 1000; i++) log.push(`line ${i}\n`);
    log.push('*** END OF TEST X ***\n');
    const text = log.text();
    expect(log.truncated).toBe(true);
    expect(text.length).toBeLessThan(100 + 50 + 80);
    expect(text.startsWith('*** BEGIN OF TEST X ***')).toBe(true);
    expect(text.endsWith('*** END OF TEST X ***\n')).toBe(true);
    const dropped = Number(/\[rtems-virt-config: (\d+) bytes/.exec(text)?.[1]);
    expect(dropped).toBe(log.totalBytes - 150);
    expect(log.observation.begin && log.observation.end).toBe(true);
  });

  it('keeps everything when under the bounds', () => {
    const log = new ConsoleLog({ headBytes: 100, tailBytes: 50 });
    log.push('a\r\nb\n');
    expect(log.text()).toBe('a\r\nb\n');
    expect(log.truncated).toBe(false);
  });
});
