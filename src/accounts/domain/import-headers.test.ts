import { describe, expect, it } from 'vitest';
import { headerKey, mapImportHeader, readDay } from './import-headers.js';

const notBaton = () => false;

describe('the header dictionary of CSV imports', () => {
  it('reads headers whatever their case, spacing and punctuation', () => {
    expect(headerKey('Probability (%)')).toBe('probability');
    expect(headerKey(' account_name ')).toBe(headerKey('Account Name'));
    expect(headerKey('AccountName')).toBe('accountname');
  });

  it("maps the vendors' header rows as they are", () => {
    for (const header of [
      'Opportunity Owner,Account Name,Opportunity Name,Stage,Fiscal Period,Amount,Probability (%),Age,Close Date,Created Date,Next Step,Lead Source,Type',
      'Id,AccountId,Name,StageName,Amount,CloseDate,IsClosed,IsWon,OwnerId',
      'Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Pipeline,Create Date,Associated Company,Associated Contact',
    ])
      expect(mapImportHeader('engagements', header.split(','), notBaton).ok, header).toBe(true);
  });

  it('refuses unknown and repeated columns, and a file without a name or an account', () => {
    const unknown = mapImportHeader('accounts', ['Name', 'Colour'], notBaton);
    expect(unknown.ok ? [] : unknown.issues.map((i) => i.message)).toEqual([
      expect.stringContaining('column "Colour" names no field of accounts'),
    ]);
    const twice = mapImportHeader('accounts', ['Name', 'Company Name'], notBaton);
    expect(twice.ok ? [] : twice.issues.map((i) => i.message)).toEqual([
      'column "Company Name" feeds the same field as column "Name"',
    ]);
    const bare = mapImportHeader('contacts', ['Email'], notBaton);
    expect(bare.ok ? 0 : bare.issues.length).toBe(2);
  });

  it('reads a row: ids by system, names joined, every bad cell named with its line', () => {
    const header = mapImportHeader(
      'contacts',
      ['Id', 'Record ID', 'First Name', 'Last Name', 'Email', 'Role', 'Account ID'],
      (v) => v.startsWith('01'),
    );
    if (!header.ok) throw new Error('the header maps');
    expect(
      header.row(['003X', '51', 'Ada', 'Lovelace', ' ADA@X.example ', 'Decision maker', '0142'], 2),
    ).toEqual({
      ok: true,
      value: {
        id: null,
        externalIds: { salesforce: '003X', hubspot: '51' },
        fields: { name: 'Ada Lovelace', email: 'ada@x.example', role: 'decision_maker' },
        account: { by: 'id', id: '0142' },
      },
    });
    const bad = header.row(['', '', '', '', 'nope', 'king', ''], 7);
    expect(bad.ok ? [] : bad.issues.map((i) => [i.line, i.message])).toEqual([
      [7, 'line 7: email must be an e-mail address'],
      [7, expect.stringContaining('line 7: role must be')],
      [7, 'line 7: name must not be blank'],
      [7, 'line 7: account is required: an account id or name'],
    ]);
  });

  it('reads close dates as Salesforce and HubSpot write them, and refuses impossible ones', () => {
    expect(readDay('2024-06-28')).toBe('2024-06-28T00:00:00.000Z');
    expect(readDay('2019-12-07 16:50')).toBe('2019-12-07T16:50:00.000Z');
    expect(readDay('6/28/2024')).toBe('2024-06-28T00:00:00.000Z');
    expect(readDay('2024-06-28T10:00:00+02:00')).toBe('2024-06-28T08:00:00.000Z');
    for (const bad of ['2024-02-30', '13/1/2024', '28.06.2024', '2024-06-28 25:00', 'soon'])
      expect(readDay(bad), bad).toBeNull();
  });
});
