// Bot functions for the Salesforce templates: finding records, reading Salesforce's answers
// and showing records. Every script, condition and {{ }} placeholder of the bot can call them.

// What each object's records are called and which fields the tasks read and show.
var SALESFORCE_OBJECTS = {
  Lead: {
    label: 'lead', plural: 'leads', keyPrefix: '00Q',
    fields: ['Id', 'Name', 'FirstName', 'LastName', 'Company', 'Title', 'Email', 'Phone', 'MobilePhone',
      'Status', 'LeadSource', 'Rating'],
    columns: [['Name', 'Name'], ['Company', 'Company'], ['Status', 'Status'], ['Id', 'Id']],
    describe: function (r) { return r.Name + ' (' + [r.Company, r.Email].filter(Boolean).join(', ') + ')'; }
  },
  Opportunity: {
    label: 'opportunity', plural: 'opportunities', keyPrefix: '006',
    fields: ['Id', 'Name', 'Account.Name', 'StageName', 'Amount', 'CloseDate', 'Probability', 'NextStep'],
    columns: [['Name', 'Name'], ['Account', 'Account.Name'], ['Stage', 'StageName'], ['Amount', 'Amount'],
      ['Close date', 'CloseDate'], ['Id', 'Id']],
    describe: function (r) {
      return r.Name + ' (' + [r.Account && r.Account.Name, r.StageName, money(r.Amount)].filter(Boolean).join(', ') + ')';
    }
  },
  Account: {
    label: 'account', plural: 'accounts', keyPrefix: '001',
    fields: ['Id', 'Name', 'Type', 'Industry', 'BillingCity'],
    columns: [['Name', 'Name'], ['Type', 'Type'], ['City', 'BillingCity'], ['Id', 'Id']],
    describe: function (r) { return r.Name + (r.BillingCity ? ' (' + r.BillingCity + ')' : ''); }
  }
};

// Field labels people read, by API name.
var FIELD_LABELS = {
  FirstName: 'first name', LastName: 'last name', Company: 'company', Title: 'title', Email: 'email',
  Phone: 'phone', MobilePhone: 'mobile phone', Status: 'status', LeadSource: 'lead source', Rating: 'rating',
  Name: 'name', StageName: 'stage', Amount: 'amount', CloseDate: 'close date', Probability: 'probability',
  NextStep: 'next step', AccountId: 'account'
};

/** Whether text is a record id (15 or 18 letters and digits) of the object with this key prefix. */
function isRecordId(text, prefix) {
  var id = String(text || '').trim();
  return /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/.test(id) && /[0-9]/.test(id) && (!prefix || id.slice(0, 3) === prefix);
}

/** The key prefix of an object's record ids ("00Q" for leads). */
function keyPrefix(object) {
  return SALESFORCE_OBJECTS[object].keyPrefix;
}

/** "leads" for Lead. */
function plural(object) {
  return SALESFORCE_OBJECTS[object].plural;
}

/** "a lead", "an opportunity". */
function article(object) {
  var label = SALESFORCE_OBJECTS[object].label;
  return (/^[aeiou]/.test(label) ? 'an ' : 'a ') + label;
}

/** The question that asks which record the user means. */
function whichRecord(object, optional, last) {
  var question = {
    Lead: ['Which lead?', 'Give a name, a company, an email or its id.'],
    Opportunity: ['Which opportunity?', 'Give its name, its account or its id.'],
    Account: ['Which account?', 'Give its name.']
  }[object];
  if (last && !optional) {
    return question[0] + ' Say "yes" for ' + last.Name + ', or ' + question[1].charAt(0).toLowerCase() + question[1].slice(1);
  }
  return question.join(' ') + (optional ? ' Say "none" to leave it out.' : '');
}

/** The record of this object the user last created, found or changed in this session, as
 * `{ Id, Name }`, or null. Kept in `context.session.BotUserSession` by `rememberRecord`. */
function lastRecord(session, object) {
  var last = session && session['last' + object];
  return last && last.Id ? last : null;
}

/** Keeps a record as the one the user is working on, so "update his title" can mean it. */
function rememberRecord(session, object, id, name) {
  if (session && id) session['last' + object] = { Id: String(id), Name: String(name || id) };
}

/** The record's name once the changes are saved: a lead's new first or last name, an opportunity's new name. */
function nameAfter(record, changes) {
  changes = changes || {};
  if (changes.Name) return changes.Name;
  if (changes.FirstName === undefined && changes.LastName === undefined) return record.Name;
  var first = changes.FirstName !== undefined ? changes.FirstName : record.FirstName;
  var last = changes.LastName !== undefined ? changes.LastName : record.LastName;
  return [first, last].filter(Boolean).join(' ');
}

/** Forgets the record the user was working on when it is the one deleted. */
function forgetRecord(session, object, id) {
  var last = lastRecord(session, object);
  if (last && last.Id === id) delete session['last' + object];
}

/** Whether an answer points back at the record offered: "yes", "him", "that one". */
function meansLast(text) {
  return /^\s*(yes|yep|yeah|yup|sure|ok|okay|y|correct|right|that one|this one|the same( one)?|same one|him|her|it|them|that|this)\s*[.!]?\s*$/i
    .test(String(text || ''));
}

/** What to say when the user could not name a record that exists. */
function giveUp(object, optional) {
  return optional ? "I'll leave the " + SALESFORCE_OBJECTS[object].label + ' out.'
    : "Let's leave it there. Try fewer words, or give me the record's id.";
}

/** Whether an answer declines to give a value ("none", "skip", "no account"). */
function isNone(text) {
  return /^\s*(none|no|nope|skip( it| that)?|nothing|no (account|one)|leave it( out| blank| empty)?|n\/a|not yet|no thanks|there isn'?t one|(it|they) (doesn'?t|don'?t) have one)(,? (yet|for now|thanks))?\s*[.!]?\s*$/i.test(String(text || ''));
}

/** The words of a description worth searching for: "Jane Doe at Acme" gives "Jane Doe Acme", SOSL-escaped. */
function searchText(description) {
  var filler = /^(at|from|with|of|for|in|the|a|an|lead|leads|opportunity|opportunities|deal|record|named|called)$/i;
  var words = String(description || '').replace(/['’]s\b/g, '').split(/\s+/).filter(function (w) {
    return w && !filler.test(w);
  });
  return words.join(' ').replace(/[?&|!{}\[\]()^~*:\\"'+\-]/g, '\\$&');
}

/** A SOQL string literal holding the text, quotes and backslashes escaped. */
function soqlString(text) {
  return "'" + String(text).replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'";
}

/** A SOQL query for one record by id, with the fields the tasks read. */
function recordQuery(object, id) {
  return 'SELECT ' + fieldList(object) + ' FROM ' + object + ' WHERE Id = ' + soqlString(id);
}

/** A SOQL query for the records of an object, filtered and sorted, at most 200. */
function listQuery(object, where, orderBy) {
  return 'SELECT ' + fieldList(object) + ' FROM ' + object + (where ? ' WHERE ' + where : '') +
    ' ORDER BY ' + orderBy + ' LIMIT 200';
}

/** The WHERE clause for leads in a status and with a rating. */
function leadFilter(status, rating) {
  var conditions = [];
  if (status) conditions.push('Status = ' + soqlString(status));
  if (rating) conditions.push('Rating = ' + soqlString(rating));
  return conditions.join(' AND ');
}

/** What to say when no lead has that status or rating. */
function leadsNone(status, rating) {
  if (!status && !rating) return 'You have no leads yet.';
  var parts = [];
  if (status) parts.push('status ' + status);
  if (rating) parts.push('rating ' + rating);
  return 'You have no leads with ' + parts.join(' and ') + '.';
}

/** The WHERE clause for opportunities closing in a period (a SOQL date literal) and in a stage. */
function opportunityFilter(closing, stage) {
  var conditions = [];
  var month = /^MONTH_(\d{1,2})$/.exec(closing || '');
  var quarter = /^QUARTER_([1-4])$/.exec(closing || '');
  // A month is its next one: December from this month on, within twelve months.
  if (month) {
    conditions.push('CALENDAR_MONTH(CloseDate) = ' + Number(month[1]) +
      ' AND (CloseDate = THIS_MONTH OR CloseDate = NEXT_N_MONTHS:11)');
  } else if (quarter) {
    // A quarter is its next one too: its three months, within this quarter and the three after it.
    var first = Number(quarter[1]) * 3 - 2;
    conditions.push('(CALENDAR_MONTH(CloseDate) = ' + first + ' OR CALENDAR_MONTH(CloseDate) = ' + (first + 1) +
      ' OR CALENDAR_MONTH(CloseDate) = ' + (first + 2) + ')' +
      ' AND (CloseDate = THIS_QUARTER OR CloseDate = NEXT_N_QUARTERS:3)');
  } else if (closing && /^[A-Z_]+$/.test(closing)) {
    conditions.push('CloseDate = ' + closing);
  }
  // "Open" is no stage of its own: every stage that is not closed.
  if (stage === 'Open') conditions.push('IsClosed = false');
  else if (stage) conditions.push('StageName = ' + soqlString(stage));
  return conditions.join(' AND ');
}

var MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December'];

/** "this month" for THIS_MONTH, "in December" for MONTH_12, "in Q2" for QUARTER_2. */
function periodName(literal) {
  var month = /^MONTH_(\d{1,2})$/.exec(String(literal));
  if (month && MONTH_NAMES[Number(month[1]) - 1]) return 'in ' + MONTH_NAMES[Number(month[1]) - 1];
  var quarter = /^QUARTER_([1-4])$/.exec(String(literal));
  if (quarter) return 'in Q' + quarter[1];
  return String(literal).toLowerCase().replace(/_/g, ' ');
}

/** "Big Deal for Initech: Prospecting, closing 2026-03-13, worth $50,000". */
function opportunitySummary(entities, account) {
  var parts = [entities.stageName, 'closing ' + entities.closeDate];
  if (entities.amount) parts.push('worth ' + money(entities.amount));
  return entities.opportunityName + (account ? ' for ' + account.Name : '') + ': ' + parts.join(', ');
}

/** The fields a task reads for an object, comma-separated for a query or a search. */
function fieldList(object) {
  return SALESFORCE_OBJECTS[object].fields.join(',');
}

/** The value at a dotted field path of a record ("Account.Name"). */
function fieldValue(record, path) {
  return path.split('.').reduce(function (value, key) { return value == null ? null : value[key]; }, record);
}

/** "$1,200,000" for 1200000; in the currency said for an amount read with one ("€80,000", "XOF 250,000,000");
 * empty for no amount. */
function money(amount) {
  if (amount == null || amount === '') return '';
  var number = typeof amount === 'object' ? amount.amount : Number(amount);
  var whole = Math.round(number * 100) % 100 === 0;
  var digits = { minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: 2 };
  var currency = typeof amount === 'object' && /^[A-Z]{3}$/.test(String(amount.currency)) ? amount.currency : 'USD';
  var plain = number.toLocaleString('en-US', digits);
  if (currency === 'USD') return '$' + plain;
  try {
    var inCurrency = { style: 'currency', currency: currency };
    Object.keys(digits).forEach(function (key) { inCurrency[key] = digits[key]; });
    return number.toLocaleString('en-US', inCurrency).replace(/\u00a0/g, ' ');
  } catch (e) {
    return currency + ' ' + plain;
  }
}

/** A value as a person reads it in a table or a summary. */
function shown(path, value) {
  if (value == null || value === '') return '';
  if (path === 'Amount') return money(value);
  if (path === 'Probability') return value + '%';
  return String(value);
}

/** One line naming a record: "Jane Doe (Acme, jane@acme.com)". */
function describeRecord(object, record) {
  return SALESFORCE_OBJECTS[object].describe(record);
}

/** The choices of a numbered list of records, for a list entity's `valuesFrom`: each with its id, so
 * that records that look alike can still be told apart. */
function recordChoices(object, records) {
  return records.map(function (r) { return { value: r.Id, display: describeRecord(object, r) + ' · ' + r.Id }; });
}

/** Records as an aligned text table with a header row, one line per record. */
function recordTable(object, records) {
  var columns = SALESFORCE_OBJECTS[object].columns;
  var rows = [columns.map(function (c) { return c[0]; })].concat(records.map(function (r) {
    return columns.map(function (c) { return shown(c[1], fieldValue(r, c[1])); });
  }));
  var widths = columns.map(function (_, i) {
    return Math.max.apply(null, rows.map(function (row) { return row[i].length; }));
  });
  return rows.map(function (row) {
    return row.map(function (cell, i) { return i === row.length - 1 ? cell : cell + ' '.repeat(widths[i] - cell.length); })
      .join('  ');
  }).join('\n');
}

/** The records of one page and what to say about it; `start` counts from 0. */
function resultsPage(object, records, start, size) {
  var info = SALESFORCE_OBJECTS[object];
  var page = records.slice(start, start + size);
  var end = start + page.length;
  var more = end < records.length;
  var heading = records.length === 1 ? '1 ' + info.label + ':'
    : start === 0 && !more ? records.length + ' ' + info.plural + ':'
    : 'Showing ' + (start + 1) + '–' + end + ' of ' + records.length + ' ' + info.plural + ':';
  return { text: heading + '\n' + recordTable(object, page), next: end, more: more };
}

/** The details of one record, one "label: value" line per field that has a value. */
function recordDetails(object, record) {
  return SALESFORCE_OBJECTS[object].fields.filter(function (path) {
    return path !== 'Name' && path !== 'Id' && fieldValue(record, path) != null && fieldValue(record, path) !== '';
  }).map(function (path) {
    var label = path === 'Account.Name' ? 'account' : (FIELD_LABELS[path] || path);
    return label.charAt(0).toUpperCase() + label.slice(1) + ': ' + shown(path, fieldValue(record, path));
  }).join('\n');
}

/** "Status: Open - Not Contacted → Working - Contacted", one line per changed field. */
function changeLines(record, changes) {
  return Object.keys(changes).map(function (field) {
    var before = shown(field, record[field]) || '(none)';
    var label = FIELD_LABELS[field] || field;
    return label.charAt(0).toUpperCase() + label.slice(1) + ': ' + before + ' → ' + (shown(field, changes[field]) || '(none)');
  }).join('\n');
}

/** The changes with every date moved by a span ("push the close date out two weeks" reads as
 * `{ CloseDate: { shift: "+14d" } }`) given as the date it comes to from the record's own; a date
 * the record does not have cannot be moved and is left out. Months keep the day where the month
 * has it, and end on the month's last day where it does not (January 31 plus a month is February 28). */
function withShifts(record, changes) {
  var moved = {};
  Object.keys(changes).forEach(function (field) {
    var change = changes[field];
    var shift = change && typeof change === 'object' && typeof change.shift === 'string'
      ? /^([+-])(\d{1,4})([dm])$/.exec(change.shift) : null;
    if (!shift) {
      moved[field] = change;
      return;
    }
    var from = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(record[field] || ''));
    if (!from) return;
    var count = Number(shift[2]) * (shift[1] === '-' ? -1 : 1);
    var date;
    if (shift[3] === 'd') {
      date = new Date(Date.UTC(Number(from[1]), Number(from[2]) - 1, Number(from[3]) + count));
    } else {
      var month = Number(from[2]) - 1 + count;
      var lastDay = new Date(Date.UTC(Number(from[1]), month + 1, 0)).getUTCDate();
      date = new Date(Date.UTC(Number(from[1]), month, Math.min(Number(from[3]), lastDay)));
    }
    moved[field] = date.toISOString().slice(0, 10);
  });
  return moved;
}

/** Whether every change gives a field the value it already has: "close date to April 30" when it is. */
function changesNothing(record, changes) {
  return Object.keys(changes).every(function (field) {
    return shown(field, record[field]).toLowerCase() === shown(field, changes[field]).toLowerCase();
  });
}

/** Salesforce's error answer in plain words, and the field the user can fix, if any.
 *
 * `response` is a service node's response; `fields` maps the API names the task sends to the
 * entities that hold them, so a bad value can be asked for again. */
function salesforceProblem(response, fields) {
  var errors = Array.isArray(response.body) ? response.body : [];
  var error = errors[0] || {};
  var field = (error.fields || []).filter(function (f) { return fields && fields[f]; })[0] || null;
  var named = (error.fields || [])[0];
  var label = FIELD_LABELS[named] || named || 'a field';
  var fix = field ? fields[field] : null;
  var message;
  switch (error.errorCode) {
    case 'REQUIRED_FIELD_MISSING':
      message = 'Salesforce needs the ' + (error.fields || []).map(function (f) { return FIELD_LABELS[f] || f; }).join(' and ') + '.';
      break;
    case 'STRING_TOO_LONG':
      var max = /max length=(\d+)/.exec(error.message || '');
      message = 'The ' + label + ' is too long for Salesforce' + (max ? ' (at most ' + max[1] + ' characters)' : '') + '.';
      break;
    case 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST':
      message = 'Salesforce does not accept that ' + label + '.';
      break;
    case 'INVALID_EMAIL_ADDRESS':
      message = 'Salesforce does not accept that email address.';
      break;
    case 'FIELD_CUSTOM_VALIDATION_EXCEPTION':
      message = 'Salesforce refused the change: ' + error.message;
      break;
    case 'ENTITY_IS_DELETED':
      message = 'That record has been deleted in Salesforce.';
      fix = null;
      break;
    case 'NOT_FOUND':
    case 'MALFORMED_ID':
      message = 'Salesforce has no such record.';
      fix = null;
      break;
    case 'INVALID_SESSION_ID':
      message = 'Your Salesforce session has expired; please sign in again.';
      break;
    case 'REQUEST_LIMIT_EXCEEDED':
      message = 'Salesforce has reached its API limit for today, so I cannot do that right now.';
      break;
    case 'DUPLICATES_DETECTED':
      message = 'Salesforce says this would be a duplicate of an existing record.';
      break;
    case 'INSUFFICIENT_ACCESS_OR_READONLY':
    case 'INSUFFICIENT_ACCESS':
      message = 'Your Salesforce user is not allowed to do that.';
      break;
    case 'MALFORMED_QUERY':
    case 'INVALID_FIELD':
    case 'INVALID_QUERY_FILTER_OPERATOR':
      message = 'Salesforce could not run that search.';
      break;
    default:
      message = response.statusCode === 0 || response.statusCode >= 500
        ? 'Salesforce is not answering right now; please try again in a moment.'
        : 'Salesforce refused that: ' + (error.message || 'status ' + response.statusCode) + '.';
  }
  return { message: message, fix: fix };
}
