/** GB/T 42195-2022 Annex B 老年人能力评估表: the 26 scored items as data (STANDARDS.md §1.1–§1.2).
 * An answer is an option code; its score comes from this table. Option codes are the score
 * written as a string, except B.3.9 where 0 is split into 昏睡 'stupor' and 昏迷 'coma' because
 * 昏迷 changes the level (§1.4 R1), and 1 is 'drowsy_confused'. */
import type { Dimension, Item, ItemOption, Provenance } from './common.js';

export const GB42195_ITEMS_META: Provenance = {
  source: 'STANDARDS.md §1.2 (GB/T 42195-2022 附录B; S1 transcription, S2 seed)',
  confidence: 'A',
};

export const GB42195_DIMENSIONS: readonly Dimension[] = [
  { code: 'B.1', zh: '自理能力', en: 'Self-care' },
  { code: 'B.2', zh: '基础运动能力', en: 'Basic mobility' },
  { code: 'B.3', zh: '精神状态', en: 'Mental status' },
  { code: 'B.4', zh: '感知觉与社会参与', en: 'Perception and social participation' },
];

const opts = (...pairs: [number, string][]): ItemOption[] => pairs.map(([score, zh]) => ({ code: String(score), score, zh }));

/** The generic five-level assistance scale (ASSIST5). */
const ASSIST5 = opts(
  [4, '独立完成，不需要协助'],
  [3, '在他人指导或提示下完成'],
  [2, '需要他人协助，但以自身完成为主'],
  [1, '主要依靠他人协助，自身能给予配合'],
  [0, '完全依赖他人协助，且不能给予配合'],
);

export const GB42195_ITEMS: readonly Item[] = [
  // B.1 自理能力
  {
    code: 'B.1.1',
    dimension: 'B.1',
    zh: '进食',
    en: 'Eating',
    definition: '使用适当的器具将食物送入口中并咽下',
    options: opts(
      [4, '独立使用器具将食物送进口中并咽下，没有呛咳'],
      [3, '在他人指导或提示下完成，或独立使用辅具，没有呛咳'],
      [2, '进食中至少需要少量接触式协助，偶尔（每月一次及以上）呛咳'],
      [1, '在进食中需要大量接触式协助，经常（每周一次及以上）呛咳'],
      [0, '完全依赖他人协助进食，或吞咽困难，或留置营养管'],
    ),
  },
  { code: 'B.1.2', dimension: 'B.1', zh: '修饰', en: 'Grooming', definition: '洗脸、刷牙、梳头、刮脸、剪指（趾）甲等', options: ASSIST5 },
  { code: 'B.1.3', dimension: 'B.1', zh: '洗澡', en: 'Bathing', definition: '清洗和擦干身体', options: ASSIST5 },
  { code: 'B.1.4', dimension: 'B.1', zh: '穿/脱上衣', en: 'Upper-body dressing', definition: '穿/脱上身衣服、系扣、拉拉链等', options: ASSIST5 },
  { code: 'B.1.5', dimension: 'B.1', zh: '穿/脱裤子和鞋袜', en: 'Lower-body dressing', definition: '穿/脱裤子、鞋袜等', options: ASSIST5 },
  {
    code: 'B.1.6',
    dimension: 'B.1',
    zh: '小便控制',
    en: 'Urinary control',
    definition: '控制和排出尿液的能力',
    options: opts(
      [4, '可自行控制排尿，排尿次数、排尿控制均正常'],
      [3, '白天可自行控制排尿次数，夜间出现排尿次数增多、排尿控制较差，或自行使用尿布、尿垫等辅助用物'],
      [2, '白天大部分时间可自行控制排尿，偶出现（每天<1次，但每周>1次）尿失禁，夜间控制排尿较差，或他人少量协助使用尿布、尿垫等辅助用物'],
      [1, '白天大部分时间不能控制排尿（每天≥1次，但尚非完全失控），夜间出现尿失禁，或他人大量协助使用尿布、尿垫等辅助用物'],
      [0, '小便失禁，完全不能控制排尿，或留置导尿管'],
    ),
  },
  {
    code: 'B.1.7',
    dimension: 'B.1',
    zh: '大便控制',
    en: 'Bowel control',
    definition: '控制和排出粪便的能力',
    options: opts(
      [4, '可正常自行控制大便排出'],
      [3, '有时出现（每周<1次）便秘或大便失禁，或自行使用开塞露、尿垫等辅助用物'],
      [2, '经常出现（每天<1次，但每周>1次）便秘或大便失禁，或他人少量协助使用开塞露、尿垫等辅助用物'],
      [1, '大部分时间均出现（每天≥1次）便秘或大便失禁，但尚非完全失控，或他人大量协助使用开塞露、尿垫等辅助用物'],
      [0, '严重便秘或者完全大便失禁，需要依赖他人协助排便或清洁皮肤'],
    ),
    meta: {
      source: 'STANDARDS.md §1.2 note on B.1.7',
      confidence: 'B',
      note: 'Option 3 text: S1 reads “每天<1次”, S2 “每周少于1次”; “每周<1次” is used. Scores unaffected; show the official PDF text.',
    },
  },
  {
    code: 'B.1.8',
    dimension: 'B.1',
    zh: '如厕',
    en: 'Toileting',
    definition: '上厕所排泄大小便，并清洁身体（注：评估中强调排泄前解开裤子、完成排泄后清洁身体、穿上裤子）',
    options: ASSIST5,
  },
  // B.2 基础运动能力
  { code: 'B.2.1', dimension: 'B.2', zh: '床上体位转移', en: 'Bed mobility', definition: '卧床翻身及坐起躺下', options: ASSIST5 },
  { code: 'B.2.2', dimension: 'B.2', zh: '床椅转移', en: 'Bed–chair transfer', definition: '从坐位到站位，再从站位到坐位的转换过程', options: ASSIST5 },
  {
    code: 'B.2.3',
    dimension: 'B.2',
    zh: '平地行走',
    en: 'Walking on level ground',
    definition: '双脚交互的方式在地面行动，总是一只脚在前（注：包括他人辅助和使用辅具的步行）',
    options: opts(
      [4, '独立平地行走50m左右，不需要协助，无摔倒风险'],
      [3, '能平地行走50m左右，存在跌倒风险，需要他人监护或指导，或使用拐杖、助行器等辅助工具'],
      [2, '在步行时需要他人少量扶持协助'],
      [1, '在步行时需要他人大量扶持协助'],
      [0, '完全不能步行'],
    ),
  },
  {
    code: 'B.2.4',
    dimension: 'B.2',
    zh: '上下楼梯',
    en: 'Stairs',
    definition: '双脚交替完成楼梯台阶连续的上下移动',
    options: opts(
      [3, '可独立上下楼梯（连续上下10个~15个台阶），不需要协助'],
      [2, '在他人指导或提示下完成'],
      [1, '需要他人协助，但以自身完成为主'],
      [0, '主要依靠他人协助，自身能给予配合；或者完全依赖他人协助，且不能给予配合'],
    ),
  },
  // B.3 精神状态
  {
    code: 'B.3.1',
    dimension: 'B.3',
    zh: '时间定向',
    en: 'Orientation to time',
    definition: '知道并确认时间的能力',
    options: opts(
      [4, '时间观念（年、月）清楚，日期（或星期几）可相差一天'],
      [3, '时间观念有些下降，年、月、日（或星期几）不能全部分清（相差两天或以上）'],
      [2, '时间观念较差，年、月、日不清楚，可知上半年或下半年或季节'],
      [1, '时间观念很差，年、月、日不清楚，可知上午、下午或白天、夜间'],
      [0, '无时间观念'],
    ),
  },
  {
    code: 'B.3.2',
    dimension: 'B.3',
    zh: '空间定向',
    en: 'Orientation to place',
    options: opts(
      [4, '能在日常生活范围内单独外出，如在日常居住小区内独自外出购物等'],
      [3, '不能单独外出，但能准确知道自己日常生活所在地的地址信息'],
      [2, '不能单独外出，但知道较多有关自己日常生活的地址信息'],
      [1, '不能单独外出，但知道较少自己居住或生活所在地的地址信息'],
      [0, '不能单独外出，无空间观念'],
    ),
  },
  {
    code: 'B.3.3',
    dimension: 'B.3',
    zh: '人物定向',
    en: 'Orientation to person',
    options: opts(
      [4, '认识长期共同一起生活的人，能称呼并知道关系'],
      [3, '能认识大部分共同生活居住的人，能称呼或知道关系'],
      [2, '能认识部分日常同住的亲人或照护者等，能称呼或知道关系等'],
      [1, '只认识自己或极少数日常同住的亲人或照护者等'],
      [0, '不认识任何人（包括自己）'],
    ),
  },
  {
    code: 'B.3.4',
    dimension: 'B.3',
    zh: '记忆',
    en: 'Memory',
    definition: '短时、近期和远期',
    options: opts(
      [4, '总能保持与社会、年龄所适应的记忆能力，能完整的回忆'],
      [3, '出现轻度的记忆紊乱或回忆不能（不能回忆即时信息，3个词语经过5分钟后仅能回忆0~1个）'],
      [2, '出现中度的记忆紊乱或回忆不能（不能回忆近期记忆，不记得上一顿饭吃了什么）'],
      [1, '出现重度记忆紊乱或回忆不能（不能回忆远期记忆，不记得自己老朋友）'],
      [0, '记忆完全紊乱或者完全不能对既往事物进行正确的回忆'],
    ),
  },
  {
    code: 'B.3.5',
    dimension: 'B.3',
    zh: '理解能力',
    en: 'Comprehension',
    definition: '可借助平时使用的助听设备等',
    options: opts(
      [4, '能正常理解他人的话'],
      [3, '能理解他人的话，但需要增加时间'],
      [2, '理解有困难，需要频繁重复或简化口头表达'],
      [1, '理解有严重困难，需要大量他人帮助'],
      [0, '完全不能理解他人的话'],
    ),
  },
  {
    code: 'B.3.6',
    dimension: 'B.3',
    zh: '表达能力',
    en: 'Expression',
    definition: '口头和非口头',
    options: opts(
      [4, '能正常表达自己的想法'],
      [3, '能表达自己的需要，但需要增加时间'],
      [2, '表达需要有困难，需频繁重复或简化口头表达'],
      [1, '表达有严重困难，需要大量他人帮助'],
      [0, '完全不能表达需要'],
    ),
  },
  {
    code: 'B.3.7',
    dimension: 'B.3',
    zh: '攻击行为',
    en: 'Aggressive behaviour',
    definition: '身体：打/踢/推/咬/抓/摔东西；语言：骂人、语言威胁、尖叫',
    options: opts([1, '未出现'], [0, '近一个月内出现过攻击行为']),
  },
  {
    code: 'B.3.8',
    dimension: 'B.3',
    zh: '抑郁症状',
    en: 'Depressive symptoms',
    definition: '情绪低落、兴趣减退、活力减退，甚至妄想、幻觉、自杀念头或行为（注：长期的负性情绪）',
    options: opts([1, '未出现'], [0, '近一个月内出现过负性情绪']),
  },
  {
    code: 'B.3.9',
    dimension: 'B.3',
    zh: '意识水平',
    en: 'Level of consciousness',
    options: [
      { code: 'clear', score: 2, zh: '神志清醒，对周围环境能做出正确反应' },
      {
        code: 'drowsy_confused',
        score: 1,
        zh: '嗜睡（呼唤/推动可唤醒，能正确交谈或执行指令，停止刺激后又继续入睡）；或意识模糊（注意力涣散，对外界刺激不能清晰认识，时空定向障碍，理解迟钝，记忆模糊不连贯）',
      },
      { code: 'stupor', score: 0, zh: '昏睡（一般刺激不能觉醒，强刺激可短暂清醒并简短回答，刺激减弱后又很快入睡）' },
      { code: 'coma', score: 0, zh: '昏迷（意识丧失，随意运动丧失，对一般刺激全无反应）' },
    ],
  },
  // B.4 感知觉与社会参与
  {
    code: 'B.4.1',
    dimension: 'B.4',
    zh: '视力',
    en: 'Vision',
    definition: '感受光线及物体大小、形状的能力；在个体的最好矫正视力下进行评估',
    options: opts(
      [2, '视力正常'],
      [1, '能看清楚大字体，但看不清书报上的标准字体；视力有限，看不清楚报纸大标题，但能辨认物体'],
      [0, '只能看到光、颜色和形状；完全失明'],
    ),
  },
  {
    code: 'B.4.2',
    dimension: 'B.4',
    zh: '听力',
    en: 'Hearing',
    definition: '可借助平时使用的助听设备',
    options: opts(
      [2, '听力正常'],
      [1, '在轻声说话或说话距离超过两米时听不清；正常交流有些困难，需要在安静的环境或大声说话才能听到'],
      [0, '讲话者大声说话或说话很慢，才能部分听见；完全失聪'],
    ),
  },
  {
    code: 'B.4.3',
    dimension: 'B.4',
    zh: '执行日常事务',
    en: 'Managing daily affairs',
    definition: '计划、安排并完成日常事务，包括但不限于洗衣服、小金额购物、服药管理',
    options: opts(
      [4, '能完全独立计划、安排和完成日常事务，无需协助'],
      [3, '在计划、安排和完成日常事务时需要他人监护或指导'],
      [2, '在计划、安排和完成日常事务时需要少量协助'],
      [1, '在计划、安排和完成日常事务时需要大量协助'],
      [0, '完全依赖他人进行日常事务'],
    ),
    meta: {
      source: 'STANDARDS.md §1.2 B.4.3',
      confidence: 'A',
      note: 'STANDARDS abbreviates options 2 and 1 as “…需要少量/大量协助”; the elided stem is filled in from option 3. Scores unaffected.',
    },
  },
  {
    code: 'B.4.4',
    dimension: 'B.4',
    zh: '使用交通工具外出',
    en: 'Going out by transport',
    options: opts(
      [3, '能自己骑车或搭乘公共交通工具外出'],
      [2, '能自己搭乘出租车，但不会搭乘其他交通工具外出'],
      [1, '当有人协助或陪伴，可搭乘公共交通工具外出'],
      [0, '只能在他人协助下搭乘出租车或私家车外出；完全不能出门，或者外出完全需要协助'],
    ),
  },
  {
    code: 'B.4.5',
    dimension: 'B.4',
    zh: '社会交往能力',
    en: 'Social interaction',
    options: opts(
      [4, '参与社会，在社会环境有一定的适应能力，待人接物恰当'],
      [3, '能适应单纯环境，主动接触他人，初见面时难让人发现智力问题，不能理解隐喻语'],
      [2, '脱离社会，可被动接触，不会主动待人，谈话中很多不适词句，容易上当受骗'],
      [1, '勉强可与他人接触，谈吐内容不清楚，表情不恰当'],
      [0, '不能与人交往'],
    ),
  },
];
