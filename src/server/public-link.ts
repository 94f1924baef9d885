import type { Config } from './config.js';

/**
 * Where links in e-mail and chat point: the public URL, or, when none is set, the address the
 * server listens on (which only people on that machine or network can open).
 */
export function linkBase(config: Pick<Config, 'publicUrl' | 'host' | 'port'>): string {
  if (config.publicUrl) return config.publicUrl;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}
