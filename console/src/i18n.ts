/** Chinese by default, English on request; the choice is remembered in this browser. */
export type Lang = 'zh' | 'en';
const KEY = 'console.lang';

const ZH: Record<string, string> = {
  'app.title': '新契约回访质控', 'signedInAs': '当前身份', 'switch': '切换身份', 'signIn': '登录', 'signOut': '退出',
  'signIn.local': '本地模式：选择角色并填写工号后登录（无需密码）。', 'signIn.cognito': '请使用统一身份认证登录。',
  'role': '角色', 'subject': '工号', 'lang.other': 'English', 'loading': '加载中…', 'none': '暂无', 'error': '出错了',
  'home': '工作台', 'openPolicy': '打开保单', 'policyId': '保单号', 'open': '打开', 'submit': '提交', 'saved': '已保存',
  'role.callcentre': '回访中心', 'role.agent': '业务员', 'role.branch': '机构内勤', 'role.compliance': '合规', 'role.manager': '管理', 'role.auditor': '审计', 'role.admin': '管理员', 'role.upstream': '上游系统',
  'queue': '待拨打队列', 'queue.empty': '当前没有可以拨打的回访。', 'round': '轮次', 'attemptsSoFar': '已拨次数', 'phone': '电话', 'name': '姓名', 'notBefore': '最早可拨', 'call': '拨打',
  'rules.title': '拨打前请确认', 'rules.hours': '只在投保人所在时区 09:00–21:00 拨打', 'rules.sixHours': '未接通后至少间隔 6 小时再拨', 'rules.now': '当地时间', 'rules.ok': '现在可以拨打', 'rules.wait': '现在不能拨打',
  'callForm': '记录本次回访', 'reached': '已接通客户', 'reason': '未成功原因', 'findings': '回访发现', 'proxySignature': '代签名', 'misleading': '销售误导', 'calledAt': '拨打时间',
  'group.TEMPORARY': '暂时无法接通', 'group.NUMBER_PROBLEM': '号码问题（本轮立即结束）', 'group.SPECIAL': '特殊情况', 'group.REFUSED': '拒绝回访（本轮立即结束）', 'group.OTHER': '其他',
  'result.roundStatus': '本轮状态', 'result.next': '下次最早可拨',
  'myPolicies': '我的待办保单', 'myPolicies.note': '本人保单中待处理的事项，按期限排序；点击保单号办理。', 'kind': '事项',
  'kind.CONTACT_WINDOW': '更新客户联系方式', 'kind.RECEIPT_MISSING': '回执未交', 'kind.SPECIAL_REQUEST': '特殊申请待审批', 'nextSettlement': '下次结算截止', 'contactWindow': '联系方式更新窗口', 'receipt': '回执',
  'contactForm': '更新或确认客户联系方式', 'newPhone': '新电话', 'address': '地址', 'confirmContact': '确认原联系方式无误', 'updateContact': '更新联系方式',
  'specialForm': '特殊回访申请', 'type': '类型', 'type.EARLY': '提前回访', 'type.EXEMPT': '免回访', 'signedConfirmationRef': '签字确认书编号', 'requestFiled': '已提交申请', 'requestReason': '申请理由', 'result': '结果',
  'inbox': '待办', 'inbox.SPECIAL_REQUEST': '特殊申请待审批', 'inbox.MANUAL_VISIT': '人工回访待处理', 'inbox.REVIEW': '合规复核待处理', 'inbox.CALLBACK_ROUND': '临近截止的回访轮次', 'claim': '认领', 'release': '放弃认领', 'claimedBy': '认领人',
  'openVisits': '待处理的人工回访', 'dueBy': '期限', 'overdue': '已逾期', 'dueSoon': '即将到期', 'branch': '机构', 'agent': '业务员',
  'visitForm': '人工回访报告', 'visitedAt': '回访时间', 'success': '回访成功', 'phoneWrong': '原电话错误或停用', 'visitorId': '回访人工号',
  'openReviews': '待复核', 'reviewForm': '合规复核决定', 'decision': '决定', 'decision.DISMISS': '不成立（视为回访通过）', 'decision.UPHOLD': '成立（没收佣金）', 'note': '说明',
  'decideRequest': '审批', 'approve': '批准', 'reject': '驳回',
  'quality': '质量指标', 'months': '月份', 'holds': '暂扣', 'forfeits': '没收', 'passRate': '回访通过率', 'receiptOnTime': '回执及时率', 'load': '查询', 'perAgent': '按业务员', 'policies': '保单数',
  'settlement': '佣金结算单', 'month': '月份', 'downloadCsv': '下载 CSV', 'decision.PAY': '发放', 'decision.DEFER': '缓发', 'decision.FORFEIT': '没收', 'net': '实发', 'gross': '应发', 'total': '合计', 'notRun': '该月尚未结算',
  'auditSearch': '审计检索', 'from': '起', 'to': '止', 'eventType': '事件类型', 'search': '检索', 'at': '时间', 'actor': '操作人', 'event': '事件', 'more': '下一页',
  'accessLog': '访问日志', 'action': '操作',
  'policy': '保单', 'stage': '阶段', 'callback': '回访', 'commission': '佣金', 'deductions': '扣减', 'specialRequests': '特殊申请', 'printedAt': '打印日期', 'customer': '投保人', 'attempts': '拨打记录', 'status': '状态',
  'manualVisit': '人工回访', 'review': '合规复核', 'history': '保单时间线', 'verify': '校验哈希链', 'verify.ok': '哈希链完整', 'verify.broken': '哈希链被破坏', 'events': '事件', 'steps': '流程步骤', 'showSteps': '显示流程步骤',
  'notAllowed': '当前身份无权查看此内容。', 'notFound': '未找到。', 'integrity': '诚信积分', 'staff': '人员名录',
  'yes': '是', 'no': '否',
  'actingRole': '当前角色', 'actingRole.choose': '您有多个角色，请选择本次以哪个角色办理（可随时在右上角切换）。',
  'confirmations': '回访确认事项（第十五条）', 'mandatory': '必答', 'rule.required_by_rule_set': '本保单适用的规则要求回答此项',
  'point.identity': '确认是投保人本人', 'point.purchasedAndSigned': '本人投保并亲笔签名', 'point.readAndUnderstood': '已阅读并理解保险条款',
  'point.coverAndExclusions': '了解保险责任和责任免除', 'point.surrenderLoss': '了解退保可能造成的损失', 'point.coolingOff': '了解犹豫期及其权利', 'point.paymentTerms': '了解缴费方式、期限和金额（分期缴费）',
  'answer.YES': '是', 'answer.NO': '否', 'answer.NOT_ASKED': '未询问', 'recordingRef': '录音编号', 'durationSeconds': '通话时长（秒）',
};

const EN: Record<string, string> = {
  'app.title': 'New-policy callback QC', 'signedInAs': 'Signed in as', 'switch': 'Switch', 'signIn': 'Sign in', 'signOut': 'Sign out',
  'signIn.local': 'Local mode: pick a role and an ID to sign in (no password).', 'signIn.cognito': 'Sign in with your company account.',
  'role': 'Role', 'subject': 'ID', 'lang.other': '中文', 'loading': 'Loading…', 'none': 'None', 'error': 'Error',
  'home': 'Home', 'openPolicy': 'Open a policy', 'policyId': 'Policy', 'open': 'Open', 'submit': 'Submit', 'saved': 'Saved',
  'role.callcentre': 'Call centre', 'role.agent': 'Agent', 'role.branch': 'Branch', 'role.compliance': 'Compliance', 'role.manager': 'Manager', 'role.auditor': 'Auditor', 'role.admin': 'Admin', 'role.upstream': 'Upstream',
  'queue': 'Dialling queue', 'queue.empty': 'Nothing may be called right now.', 'round': 'Round', 'attemptsSoFar': 'Attempts', 'phone': 'Phone', 'name': 'Name', 'notBefore': 'Not before', 'call': 'Call',
  'rules.title': 'Before you call', 'rules.hours': 'Call only 09:00–21:00 in the policyholder’s time zone', 'rules.sixHours': 'Wait at least 6 hours after a failed call', 'rules.now': 'Local time', 'rules.ok': 'You may call now', 'rules.wait': 'Do not call now',
  'callForm': 'Record this call', 'reached': 'Reached the customer', 'reason': 'Reason', 'findings': 'Findings', 'proxySignature': 'Proxy signature', 'misleading': 'Misleading sale', 'calledAt': 'Called at',
  'group.TEMPORARY': 'Temporary', 'group.NUMBER_PROBLEM': 'Number problem (ends the round)', 'group.SPECIAL': 'Special', 'group.REFUSED': 'Refused (ends the round)', 'group.OTHER': 'Other',
  'result.roundStatus': 'Round status', 'result.next': 'Next call not before',
  'myPolicies': 'My policies needing action', 'myPolicies.note': 'What your own policies wait for, earliest due first; open a policy to act.', 'kind': 'Item',
  'kind.CONTACT_WINDOW': 'Update the customer contact', 'kind.RECEIPT_MISSING': 'Receipt missing', 'kind.SPECIAL_REQUEST': 'Special request awaiting decision', 'nextSettlement': 'Next settlement cutoff', 'contactWindow': 'Contact update window', 'receipt': 'Receipt',
  'contactForm': 'Update or confirm the customer contact', 'newPhone': 'New phone', 'address': 'Address', 'confirmContact': 'Confirm the contact is right', 'updateContact': 'Update the contact',
  'specialForm': 'Special callback request', 'type': 'Type', 'type.EARLY': 'Early callback', 'type.EXEMPT': 'Exemption', 'signedConfirmationRef': 'Signed confirmation ref', 'requestFiled': 'Request filed', 'requestReason': 'Why', 'result': 'Result',
  'inbox': 'Inbox', 'inbox.SPECIAL_REQUEST': 'Special requests to decide', 'inbox.MANUAL_VISIT': 'Manual visits', 'inbox.REVIEW': 'Reviews', 'inbox.CALLBACK_ROUND': 'Rounds near their deadline', 'claim': 'Claim', 'release': 'Release', 'claimedBy': 'Claimed by',
  'openVisits': 'Open manual visits', 'dueBy': 'Due by', 'overdue': 'Overdue', 'dueSoon': 'Due soon', 'branch': 'Branch', 'agent': 'Agent',
  'visitForm': 'Manual visit report', 'visitedAt': 'Visited at', 'success': 'Visit succeeded', 'phoneWrong': 'Phone wrong or out of use', 'visitorId': 'Visitor ID',
  'openReviews': 'Open reviews', 'reviewForm': 'Review decision', 'decision': 'Decision', 'decision.DISMISS': 'Dismiss (callback passes)', 'decision.UPHOLD': 'Uphold (commission forfeited)', 'note': 'Note',
  'decideRequest': 'Decide', 'approve': 'Approve', 'reject': 'Reject',
  'quality': 'Quality', 'months': 'Months', 'holds': 'Holds', 'forfeits': 'Forfeits', 'passRate': 'Pass rate', 'receiptOnTime': 'Receipts on time', 'load': 'Load', 'perAgent': 'Per agent', 'policies': 'Policies',
  'settlement': 'Settlement statement', 'month': 'Month', 'downloadCsv': 'Download CSV', 'decision.PAY': 'Pay', 'decision.DEFER': 'Defer', 'decision.FORFEIT': 'Forfeit', 'net': 'Net', 'gross': 'Gross', 'total': 'Total', 'notRun': 'This month has not been settled',
  'auditSearch': 'Audit search', 'from': 'From', 'to': 'To', 'eventType': 'Event type', 'search': 'Search', 'at': 'At', 'actor': 'Actor', 'event': 'Event', 'more': 'Next page',
  'accessLog': 'Access log', 'action': 'Action',
  'policy': 'Policy', 'stage': 'Stage', 'callback': 'Callback', 'commission': 'Commission', 'deductions': 'Deductions', 'specialRequests': 'Special requests', 'printedAt': 'Printed', 'customer': 'Policyholder', 'attempts': 'Calls', 'status': 'Status',
  'manualVisit': 'Manual visit', 'review': 'Compliance review', 'history': 'Timeline', 'verify': 'Verify the hash chain', 'verify.ok': 'Hash chain intact', 'verify.broken': 'Hash chain broken', 'events': 'Events', 'steps': 'Workflow steps', 'showSteps': 'Show workflow steps',
  'notAllowed': 'Your role may not see this.', 'notFound': 'Not found.', 'integrity': 'Integrity scores', 'staff': 'Staff directory',
  'yes': 'Yes', 'no': 'No',
  'actingRole': 'Acting role', 'actingRole.choose': 'You hold several roles: choose the one you work in now (switch at the top right at any time).',
  'confirmations': 'Callback confirmations (art. 15)', 'mandatory': 'required', 'rule.required_by_rule_set': 'The policy’s rule set requires an answer here',
  'point.identity': 'It is the policyholder', 'point.purchasedAndSigned': 'Bought the policy and signed it in person', 'point.readAndUnderstood': 'Read and understood the policy terms',
  'point.coverAndExclusions': 'Knows the cover and the exclusions', 'point.surrenderLoss': 'Knows the loss a surrender may cause', 'point.coolingOff': 'Knows the cooling-off period and its rights', 'point.paymentTerms': 'Knows the payment method, term and amounts (instalments)',
  'answer.YES': 'Yes', 'answer.NO': 'No', 'answer.NOT_ASKED': 'Not asked', 'recordingRef': 'Recording ref', 'durationSeconds': 'Call length (s)',
};

let lang: Lang = (typeof localStorage !== 'undefined' && localStorage.getItem(KEY) === 'en') ? 'en' : 'zh';

export function currentLang(): Lang { return lang; }

export function setLang(next: Lang): void {
  lang = next;
  localStorage.setItem(KEY, next);
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
}

/** The text for a key; an unknown key (e.g. a code the API added) shows as itself. */
export function t(key: string): string {
  return (lang === 'zh' ? ZH : EN)[key] ?? key;
}

/** A time as the people of the policy's zone read it. */
export function formatTime(iso: string | undefined, timeZone = 'Asia/Shanghai'): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(date);
}

export const KEYS_FOR_TEST = { zh: Object.keys(ZH), en: Object.keys(EN) };

const ZH_CODES: Record<string, string> = {
  WAITING_FIRST_CALLBACK: '等待首次回访', FIRST_CALLBACK: '首次回访', CONTACT_UPDATE: '联系方式更新', SECOND_CALLBACK: '二次回访', MANUAL_VISIT: '人工回访', COMPLIANCE_REVIEW: '合规复核', COMPLETED: '已完成', CANCELLED: '已撤单',
  PENDING: '待定', PASSED: '通过', EXEMPT: '免回访', FAILED: '失败', FINDINGS: '有发现', OPEN: '进行中', CLOSED: '已关闭', HELD: '暂扣', PAYABLE: '可发放', PAID: '已发放', FORFEITED: '已没收', DEFERRED_FOR_GOOD: '永久缓发', RETURNED: '已交回', RELEASED: '已释放',
  APPROVED: '已批准', REJECTED: '已驳回', UPDATED: '已更新', CONFIRMED: '已确认', UNANSWERED: '未响应', COMPLETED_RUN: '已完成', RUNNING: '运行中', QUEUED: '排队中',
  NO_ANSWER: '无人接听', NOT_PRESENT: '本人不在', HUNG_UP: '挂断', CALL_REFUSED: '拒接', BUSY: '占线', INCONVENIENT: '不方便接听', POWERED_OFF: '关机',
  NO_NUMBER: '无号码', EMPTY_NUMBER: '空号', WRONG_NUMBER: '错号', AGENT_OR_BRANCH_PHONE: '业务员或机构电话', RECORDING: '录音提示', FAX: '传真', SUSPENDED: '停机', NUMBER_PAUSED: '暂停服务',
  PAY: '发放', DEFER: '缓发', FORFEIT: '没收', CALLBACK_PENDING: '回访未完成', RECEIPT_MISSING: '回执未交', RECEIPT_NEVER_RETURNED: '回执未交回（逾期）', CALLBACK_FORFEITED: '回访失败没收', SUCCESS: '成功', SUCCESS_WRONG_PHONE: '成功（电话错误）', FAILURE: '失败', DISMISS: '不成立', UPHOLD: '成立', EARLY: '提前回访',
  SPECIAL_REASON: '特殊原因', SURRENDERED: '已退保', SPECIAL_POLICY: '特殊保单', POLICYHOLDER_REFUSED: '投保人拒绝', FAMILY_REFUSED: '家属拒绝', OTHER: '其他',
};

/** A code the API returns (stage, status, reason), in words where we have them; the code itself otherwise. */
export function code(value: string | undefined): string {
  if (!value) return '—';
  return lang === 'zh' ? (ZH_CODES[value] ?? value) : value;
}
