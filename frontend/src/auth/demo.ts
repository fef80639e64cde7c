/**
 * The demo users a demo node publishes at GET /demo/users, with their private
 * keys: anyone can sign in as them, which is the point of a demo.
 */

import { getJson } from '../api/http';
import { fromBase64 } from '../crypto/base64';
import type { Bytes } from '../crypto/bytes';
import { pemToDer } from '../crypto/pem';

export interface DemoUser {
  user: string;
  name: string;
  org: string;
  orgName: string;
  roles: string[];
  /** The public key, when the node lists it (standard base64). */
  key: string | null;
  /** PKCS#8 DER of the demo private key. */
  pkcs8: Bytes;
}

export interface DemoOrganisation {
  org: string;
  name: string;
  users: DemoUser[];
}

function str(o: Record<string, unknown>, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = o[n];
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string') return (v as { id: string }).id;
  }
  return undefined;
}

function privateKey(text: string): Bytes {
  return text.includes('-----BEGIN') ? pemToDer(text) : fromBase64(text);
}

/**
 * Reads the demo list. The documented shape is an array (or `{users: [...]}`)
 * of `{user, name, org, orgName?, roles?, key?, pkcs8}`; `id`, `organisation`
 * and `privateKey` are read as synonyms.
 */
export function parseDemoUsers(json: unknown): DemoUser[] {
  const list = Array.isArray(json) ? json : (json as { users?: unknown } | null)?.users;
  if (!Array.isArray(list)) throw new Error('the demo list is not an array');
  return list.map((item: unknown) => {
    if (typeof item !== 'object' || item === null) throw new Error('a demo user is not an object');
    const o = item as Record<string, unknown>;
    const user = str(o, 'user', 'id');
    const org = str(o, 'org', 'organisation', 'organization');
    const key = str(o, 'pkcs8', 'privateKey', 'private_key');
    if (!user || !org || !key) throw new Error('a demo user lacks its id, organisation or key');
    const roles = Array.isArray(o.roles) ? o.roles.filter((r): r is string => typeof r === 'string').map((r) => r.toLowerCase()) : [];
    return {
      user,
      name: str(o, 'name') ?? user,
      org,
      orgName: str(o, 'orgName', 'organisationName', 'organizationName') ?? org,
      roles,
      key: str(o, 'key', 'publicKey') ?? null,
      pkcs8: privateKey(key),
    };
  });
}

/** Groups users by organisation, keeping the order the node listed them in. */
export function groupByOrganisation(users: readonly DemoUser[]): DemoOrganisation[] {
  const groups = new Map<string, DemoOrganisation>();
  for (const u of users) {
    let g = groups.get(u.org);
    if (!g) {
      g = { org: u.org, name: u.orgName, users: [] };
      groups.set(u.org, g);
    }
    g.users.push(u);
  }
  return [...groups.values()];
}

export async function fetchDemoUsers(): Promise<DemoUser[]> {
  return parseDemoUsers(await getJson<unknown>('/demo/users'));
}
