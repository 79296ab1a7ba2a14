import { Emitter } from '../../src/core/events.js';

interface Events {
  ping: { n: number };
  pong: string;
}

describe('Emitter', () => {
  test('calls each listener of a type with the event, in the order they subscribed', () => {
    const emitter = new Emitter<Events>();
    const log: string[] = [];
    emitter.on('ping', (e) => log.push(`a${e.n}`));
    emitter.on('ping', (e) => log.push(`b${e.n}`));
    emitter.on('pong', (e) => log.push(`pong ${e}`));
    emitter.emit('ping', { n: 1 });
    expect(log).toEqual(['a1', 'b1']);
  });

  test('on returns its own unsubscribe; calling it twice is harmless', () => {
    const emitter = new Emitter<Events>();
    const a = vi.fn();
    const b = vi.fn();
    const offA = emitter.on('ping', a);
    emitter.on('ping', b);
    offA();
    offA();
    emitter.emit('ping', { n: 1 });
    expect(a).not.toHaveBeenCalled();
    expect(b).toHaveBeenCalledTimes(1);
  });

  test('has() says whether anyone listens, so hot paths can skip building events', () => {
    const emitter = new Emitter<Events>();
    expect(emitter.has('ping')).toBe(false);
    const off = emitter.on('ping', () => {});
    expect(emitter.has('ping')).toBe(true);
    expect(emitter.has('pong')).toBe(false);
    off();
    expect(emitter.has('ping')).toBe(false);
  });

  test('a listener that unsubscribes another during an emit does not make it miss that event', () => {
    const emitter = new Emitter<Events>();
    const b = vi.fn();
    let offB = () => {};
    emitter.on('ping', () => offB());
    offB = emitter.on('ping', b);
    emitter.emit('ping', { n: 1 });
    emitter.emit('ping', { n: 2 });
    expect(b).toHaveBeenCalledTimes(1);
  });

  test('a throwing listener is reported and the others still run', () => {
    const emitter = new Emitter<Events>();
    const error = new Error('listener bug');
    const report = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const after = vi.fn();
      emitter.on('ping', () => {
        throw error;
      });
      emitter.on('ping', after);
      expect(() => emitter.emit('ping', { n: 1 })).not.toThrow();
      expect(after).toHaveBeenCalledTimes(1);
      expect(report).toHaveBeenCalledWith(error);
    } finally {
      report.mockRestore();
    }
  });

  test('reportError is used where the platform has it', () => {
    const emitter = new Emitter<Events>();
    const reportError = vi.fn();
    vi.stubGlobal('reportError', reportError);
    try {
      const error = new Error('x');
      emitter.on('pong', () => {
        throw error;
      });
      emitter.emit('pong', 'p');
      expect(reportError).toHaveBeenCalledWith(error);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  test('clear() removes every listener', () => {
    const emitter = new Emitter<Events>();
    const a = vi.fn();
    emitter.on('ping', a);
    emitter.on('pong', a);
    emitter.clear();
    emitter.emit('ping', { n: 1 });
    emitter.emit('pong', 'x');
    expect(a).not.toHaveBeenCalled();
  });
});
