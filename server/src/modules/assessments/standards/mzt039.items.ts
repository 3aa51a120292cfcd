/** MZ/T 039-2013 老年人能力评估 Annex B: the 22 items as data (STANDARDS.md §2.1–§2.4). Option
 * codes are the score written as a string. Higher = better in B.1 (Barthel); higher = worse in
 * B.2, B.3 and B.4 (the opposite of GB/T 42195). */
import type { Dimension, Item, ItemOption, Provenance } from './common.js';

export const MZT039_ITEMS_META: Provenance = {
  source: 'STANDARDS.md §2.1–§2.4 (MZ/T 039-2013 附录B; S8, S9, S10)',
  confidence: 'A',
};

export const MZT039_DIMENSIONS: readonly Dimension[] = [
  { code: 'B.1', zh: '日常生活活动', en: 'Activities of daily living' },
  { code: 'B.2', zh: '精神状态', en: 'Mental status' },
  { code: 'B.3', zh: '感知觉与沟通', en: 'Perception and communication' },
  { code: 'B.4', zh: '社会参与', en: 'Social participation' },
];

const opts = (...pairs: [number, string][]): ItemOption[] => pairs.map(([score, zh]) => ({ code: String(score), score, zh }));
const ELIDED = (item: string, stem: string): Provenance => ({
  source: `STANDARDS.md §2 ${item}`,
  confidence: 'A',
  note: `STANDARDS abbreviates some options with “…”; the elided stem “${stem}” is filled in from the neighbouring option. Scores unaffected.`,
});

export const MZT039_ITEMS: readonly Item[] = [
  // B.1 日常生活活动 (Barthel)
  {
    code: 'B.1.1',
    dimension: 'B.1',
    zh: '进食',
    en: 'Feeding',
    definition: '用餐具将食物由容器送到口中、咀嚼、吞咽等过程',
    options: opts(
      [10, '可独立进食（在合理的时间内独立进食准备好的食物）'],
      [5, '需部分帮助（进食过程中需要一定帮助，如协助把持餐具）'],
      [0, '需极大帮助或完全依赖他人，或有留置营养管'],
    ),
  },
  { code: 'B.1.2', dimension: 'B.1', zh: '洗澡', en: 'Bathing', options: opts([5, '准备好洗澡水后，可自己独立完成洗澡过程'], [0, '在洗澡过程中需他人帮助']) },
  {
    code: 'B.1.3',
    dimension: 'B.1',
    zh: '修饰',
    en: 'Grooming',
    definition: '洗脸、刷牙、梳头、刮脸等',
    options: opts([5, '可自己独立完成'], [0, '需他人帮助']),
  },
  {
    code: 'B.1.4',
    dimension: 'B.1',
    zh: '穿衣',
    en: 'Dressing',
    definition: '穿脱衣服、系扣、拉拉链、穿脱鞋袜、系鞋带',
    options: opts([10, '可独立完成'], [5, '需部分帮助（能自己穿脱，但需他人帮助整理衣物、系扣/鞋带、拉拉链）'], [0, '需极大帮助或完全依赖他人']),
  },
  {
    code: 'B.1.5',
    dimension: 'B.1',
    zh: '大便控制',
    en: 'Bowel control',
    options: opts([10, '可控制大便'], [5, '偶尔失控（每周<1次），或需要他人提示'], [0, '完全失控']),
  },
  {
    code: 'B.1.6',
    dimension: 'B.1',
    zh: '小便控制',
    en: 'Bladder control',
    options: opts([10, '可控制小便'], [5, '偶尔失控（每天<1次，但每周>1次），或需要他人提示'], [0, '完全失控，或留置导尿管']),
  },
  {
    code: 'B.1.7',
    dimension: 'B.1',
    zh: '如厕',
    en: 'Toilet use',
    definition: '去厕所、解开衣裤、擦净、整理衣裤、冲水',
    options: opts([10, '可独立完成'], [5, '需部分帮助（需他人搀扶去厕所、需他人帮忙冲水或整理衣裤等）'], [0, '需极大帮助或完全依赖他人']),
  },
  {
    code: 'B.1.8',
    dimension: 'B.1',
    zh: '床椅转移',
    en: 'Bed–chair transfer',
    options: opts([15, '可独立完成'], [10, '需部分帮助（需他人搀扶或使用拐杖）'], [5, '需极大帮助（较大程度上依赖他人搀扶和帮助）'], [0, '完全依赖他人']),
  },
  {
    code: 'B.1.9',
    dimension: 'B.1',
    zh: '平地行走',
    en: 'Walking on level ground',
    options: opts(
      [15, '可独立在平地上行走45m'],
      [10, '需部分帮助（因肢体残疾、平衡能力差、过度衰弱、视力等问题，在一定程度上需他人搀扶或使用拐杖、助行器等辅助用具）'],
      [5, '需极大帮助（因肢体残疾、平衡能力差、过度衰弱、视力等问题，在较大程度上依赖他人搀扶，或坐在轮椅上自行移动）'],
      [0, '完全依赖他人'],
    ),
    meta: ELIDED('B.1.9', '因肢体残疾、平衡能力差、过度衰弱、视力等问题，'),
  },
  {
    code: 'B.1.10',
    dimension: 'B.1',
    zh: '上下楼梯',
    en: 'Stairs',
    options: opts([10, '可独立上下楼梯（连续上下10-15个台阶）'], [5, '需部分帮助（需他人搀扶，或扶着楼梯、使用拐杖等）'], [0, '需极大帮助或完全依赖他人']),
  },
  // B.2 精神状态 (higher = worse)
  {
    code: 'B.2.1',
    dimension: 'B.2',
    zh: '认知功能',
    en: 'Cognition',
    definition:
      '测验：“我说三样东西，请重复一遍，并记住，一会儿会问您：苹果、手表、国旗”；（1）画钟测验：“请您在这儿画一个圆形的时钟，在时钟上标出10点45分”；（2）回忆词语：“现在请您告诉我，刚才我要您记住的三样东西是什么？”（不必按顺序）',
    options: opts(
      [0, '画钟正确（画出一个闭锁圆，指针位置准确），且能回忆出2~3个词'],
      [1, '画钟错误（画的圆不闭锁，或指针位置不准确），或只回忆出0~1个词'],
      [2, '已确诊为认知障碍，如老年痴呆'],
    ),
  },
  {
    code: 'B.2.2',
    dimension: 'B.2',
    zh: '攻击行为',
    en: 'Aggressive behaviour',
    options: opts(
      [0, '无身体攻击行为（如打/踢/推/咬/抓/摔东西）和语言攻击行为（如骂人、语言威胁、尖叫）'],
      [1, '每月有几次身体攻击行为，或每周有几次语言攻击行为'],
      [2, '每周有几次身体攻击行为，或每日有语言攻击行为'],
    ),
  },
  {
    code: 'B.2.3',
    dimension: 'B.2',
    zh: '抑郁症状',
    en: 'Depressive symptoms',
    options: opts([0, '无'], [1, '情绪低落、不爱说话、不爱梳洗、不爱活动'], [2, '有自杀念头或自杀行为']),
  },
  // B.3 感知觉与沟通 (rule-graded, not summed)
  {
    code: 'B.3.1',
    dimension: 'B.3',
    zh: '意识水平',
    en: 'Level of consciousness',
    options: opts(
      [0, '神志清醒，对周围环境警觉'],
      [1, '嗜睡（睡眠状态过度延长，呼唤或推动肢体时可唤醒，能正确交谈或执行指令，停止刺激后又继续入睡）'],
      [2, '昏睡（一般的外界刺激不能使其觉醒，较强烈刺激时可有短时意识清醒，醒后可简短回答提问，刺激减弱后又很快入睡）'],
      [3, '昏迷（浅昏迷对疼痛刺激有回避和痛苦表情；深昏迷对刺激无反应）（若评定为昏迷，直接评定为重度失能，可不进行以下项目的评估）'],
    ),
  },
  {
    code: 'B.3.2',
    dimension: 'B.3',
    zh: '视力',
    en: 'Vision',
    definition: '若平日带老花镜或近视镜，应在佩戴眼镜的情况下评估',
    options: opts(
      [0, '能看清书报上的标准字体'],
      [1, '能看清楚大字体，但看不清书报上的标准字体'],
      [2, '视力有限，看不清报纸大标题，但能辨认物体'],
      [3, '辨认物体有困难，但眼睛能跟随物体移动，只能看到光、颜色和形状'],
      [4, '没有视力，眼睛不能跟随物体移动'],
    ),
  },
  {
    code: 'B.3.3',
    dimension: 'B.3',
    zh: '听力',
    en: 'Hearing',
    definition: '若平时佩戴助听器，应在佩戴助听器的情况下评估',
    options: opts(
      [0, '可正常交谈，能听到电视、电话、门铃的声音'],
      [1, '在轻声说话或说话距离超过2米时听不清'],
      [2, '正常交流有些困难，需在安静的环境或大声说话才能听到'],
      [3, '讲话者大声说话或说话很慢，才能部分听见'],
      [4, '完全听不见'],
    ),
  },
  {
    code: 'B.3.4',
    dimension: 'B.3',
    zh: '沟通交流',
    en: 'Communication',
    definition: '包括非语言沟通',
    options: opts(
      [0, '无困难，能与他人正常沟通和交流'],
      [1, '能够表达自己的需要及理解别人的话，但需要增加时间或给予帮助'],
      [2, '表达需要或理解有困难，需频繁重复或简化口头表达'],
      [3, '不能表达需要或理解他人的话'],
    ),
  },
  // B.4 社会参与 (higher = worse)
  {
    code: 'B.4.1',
    dimension: 'B.4',
    zh: '生活能力',
    en: 'Household living',
    options: opts(
      [0, '除个人生活自理外（如饮食、洗漱、穿戴、二便），能料理家务（如做饭、洗衣）或当家管理事务'],
      [1, '除个人生活自理外，能做家务，但欠好，家庭事务安排欠条理'],
      [2, '个人生活能自理；只有在他人帮助下才能做些家务，但质量不好'],
      [3, '个人基本生活事务能自理（如饮食、二便），在督促下可洗漱'],
      [4, '个人基本生活事务（如饮食、二便）需要部分帮助或完全依赖他人帮助'],
    ),
  },
  {
    code: 'B.4.2',
    dimension: 'B.4',
    zh: '工作能力',
    en: 'Work ability',
    options: opts(
      [0, '原来熟练的脑力工作或体力技巧性工作可照常进行'],
      [1, '原来熟练的脑力工作或体力技巧性工作能力有所下降'],
      [2, '原来熟练的脑力工作或体力技巧性工作明显不如以往，部分遗忘'],
      [3, '对熟练工作只有一些片段保留，技能全部遗忘'],
      [4, '对以往的知识或技能全部磨灭'],
    ),
    meta: ELIDED('B.4.2', '原来熟练的脑力工作或体力技巧性工作'),
  },
  {
    code: 'B.4.3',
    dimension: 'B.4',
    zh: '时间/空间定向',
    en: 'Orientation to time and place',
    options: opts(
      [0, '时间观念（年、月、日、时）清楚；可单独出远门，能很快掌握新环境的方位'],
      [1, '时间观念有些下降，年、月、日清楚，但有时相差几天；可单独来往于近街，知道现住地的名称和方位，但不知回家路线'],
      [2, '时间观念较差，年、月、日不清楚，可知上半年或下半年；只能单独在家附近行动，对现住地只知名称，不知道方位'],
      [3, '时间观念很差，年、月、日不清楚，可知上午或下午；只能在左邻右舍间串门，对现住地不知名称和方位'],
      [4, '无时间观念；不能单独外出'],
    ),
  },
  {
    code: 'B.4.4',
    dimension: 'B.4',
    zh: '人物定向',
    en: 'Orientation to person',
    options: opts(
      [0, '知道周围人们的关系，知道祖孙、叔伯、姑姨、侄子侄女等称谓的意义；可分辨陌生人的大致年龄和身份，可用适当称呼'],
      [1, '只知家中亲密近亲的关系，不会分辨陌生人的大致年龄，不能称呼陌生人'],
      [2, '只能称呼家中人，或只能照样称呼，不知其关系，不辨辈分'],
      [3, '只认识常同住的亲人，可称呼子女或孙子女，可辨熟人和生人'],
      [4, '只认识保护人，不辨熟人和生人'],
    ),
  },
  {
    code: 'B.4.5',
    dimension: 'B.4',
    zh: '社会交往能力',
    en: 'Social interaction',
    options: opts(
      [0, '参与社会，在社会环境有一定的适应能力，待人接物恰当'],
      [1, '能适应单纯环境，主动接触人，初见面时难让人发现智力问题，不能理解隐喻语'],
      [2, '脱离社会，可被动接触，不会主动待人，谈话中很多不适词句，容易上当受骗'],
      [3, '勉强可与人交往，谈吐内容不清楚，表情不恰当'],
      [4, '难以与人接触'],
    ),
  },
];
