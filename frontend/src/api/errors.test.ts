import i18n from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import en from '../i18n/en.json';
import zhCN from '../i18n/zh-CN.json';
import { ERROR_CODES, errorMessage } from './errors';
import { GraphQLRequestError } from './graphql';
import { ApiError } from './http';

const t = i18n.t.bind(i18n);

beforeAll(async () => {
  await i18n.init({ resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } }, lng: 'en', interpolation: { escapeValue: false } });
});

describe('error messages', () => {
  it('translate every code of docs/API.md, from GraphQL and from the plain routes', async () => {
    await i18n.changeLanguage('en');
    for (const code of ERROR_CODES) {
      const gql = new GraphQLRequestError([{ message: 'server words', extensions: { code } }], 200);
      expect(errorMessage(t, gql)).toBe(en.errors[code]);
      expect(errorMessage(t, new ApiError(code, 'server words', 400))).toBe(en.errors[code]);
    }
    await i18n.changeLanguage('zh-CN');
    expect(errorMessage(t, new ApiError('LAST_ADMIN', 'x', 400))).toBe(zhCN.errors.LAST_ADMIN);
  });

  it('fall back to the server message for an unknown code', async () => {
    await i18n.changeLanguage('en');
    const gql = new GraphQLRequestError([{ message: 'receipt WR-1 is pledged', extensions: { code: 'RECEIPT_PLEDGED' } }], 200);
    expect(errorMessage(t, gql)).toBe('Something went wrong: receipt WR-1 is pledged');
    expect(errorMessage(t, new GraphQLRequestError([{ message: 'no code' }], 200))).toBe('Something went wrong: no code');
  });

  it('name failures of the browser itself', async () => {
    await i18n.changeLanguage('en');
    const e = new Error('x');
    e.name = 'NoKeyInBrowserError';
    expect(errorMessage(t, e)).toBe(en.errors.noKeyInBrowser);
    expect(errorMessage(t, new TypeError('Failed to fetch'))).toBe(en.errors.NETWORK);
  });
});
