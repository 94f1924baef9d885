import { describe, expect, it } from 'vitest';
import { AppError } from '../kernel/errors.js';
import { readOutboundGuard } from './outbound-config.js';

const problemsOf = (read: () => unknown) => {
  try {
    read();
  } catch (error) {
    if (error instanceof AppError) return error.errors;
    throw error;
  }
  return [];
};

describe('the outbound allow list', () => {
  it('names every entry of BATON_OUTBOUND_ALLOW that is not an address, a range or a host name', async () => {
    expect(
      problemsOf(() => readOutboundGuard({ BATON_OUTBOUND_ALLOW: '10.0.0.0/33, chat.corp.example, ::1/x' })),
    ).toEqual([
      {
        path: 'BATON_OUTBOUND_ALLOW',
        message: '10.0.0.0/33: the prefix length must be a whole number from 0 to 32',
      },
      {
        path: 'BATON_OUTBOUND_ALLOW',
        message: '::1/x: the prefix length must be a whole number from 0 to 128',
      },
    ]);
    const guard = readOutboundGuard({ BATON_OUTBOUND_ALLOW: '10.20.0.0/16' });
    expect(await guard.check('http://10.20.1.1/hook')).toMatchObject({ ok: true });
    expect(await guard.check('http://10.21.1.1/hook')).toMatchObject({ ok: false, inward: true });
    expect(await readOutboundGuard({}).check('http://10.20.1.1/hook')).toMatchObject({ ok: false });
  });
});
