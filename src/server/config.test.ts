import { describe, expect, it } from 'vitest';
import { AppError } from '../kernel/errors.js';
import { readConfig } from './config.js';
import { readOutboundGuard } from './outbound-config.js';
import { linkBase } from './public-link.js';

const problemsOf = (read: () => unknown) => {
  try {
    read();
  } catch (error) {
    if (error instanceof AppError) return error.errors;
    throw error;
  }
  return [];
};

describe('the public URL and the outbound allow list', () => {
  it('reads BATON_PUBLIC_URL without its trailing slash, and refuses anything but http(s)', () => {
    expect(readConfig({}).publicUrl).toBeNull();
    expect(readConfig({ BATON_PUBLIC_URL: 'https://baton.example.com/' }).publicUrl).toBe(
      'https://baton.example.com',
    );
    expect(readConfig({ BATON_PUBLIC_URL: 'https://example.com/baton//' }).publicUrl).toBe(
      'https://example.com/baton',
    );
    for (const bad of ['ftp://baton.example.com', 'baton.example.com', 'javascript:alert(1)'])
      expect(problemsOf(() => readConfig({ BATON_PUBLIC_URL: bad }))).toEqual([
        {
          path: 'BATON_PUBLIC_URL',
          message: `must be an http or https URL such as https://baton.example.com, not ${JSON.stringify(bad)}`,
        },
      ]);
  });

  it('links to the public URL, or to where the server listens when none is set', () => {
    expect(linkBase({ publicUrl: 'https://baton.example.com', host: '0.0.0.0', port: 3000 })).toBe(
      'https://baton.example.com',
    );
    expect(linkBase({ publicUrl: null, host: '0.0.0.0', port: 3000 })).toBe('http://localhost:3000');
    expect(linkBase({ publicUrl: null, host: '::1', port: 8080 })).toBe('http://[::1]:8080');
  });

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
