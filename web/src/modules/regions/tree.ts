/** Helpers for the lazily loaded region tree. */
import type { Region } from '../../kernel/types';

export interface RegionNode {
  key: string;
  region: Region;
  isLeaf: boolean;
  children?: RegionNode[];
}

export const toNode = (r: Region): RegionNode => ({ key: r.code, region: r, isLeaf: r.childCount === 0 || r.level >= 5 });

/** Replaces the children of `key`, keeping sub-trees that were loaded already. */
export function setChildren(list: RegionNode[], key: string, kids: Region[]): RegionNode[] {
  return list.map((n) => {
    if (n.key === key) {
      const old = new Map((n.children ?? []).map((c) => [c.key, c]));
      return {
        ...n,
        isLeaf: kids.length === 0,
        region: { ...n.region, childCount: kids.length },
        children: kids.map((r) => {
          const o = old.get(r.code);
          return o ? { ...o, region: r, isLeaf: r.childCount === 0 && !o.children?.length } : toNode(r);
        }),
      };
    }
    return n.children ? { ...n, children: setChildren(n.children, key, kids) } : n;
  });
}

export function findNode(list: RegionNode[], key: string): RegionNode | undefined {
  for (const n of list) {
    if (n.key === key) return n;
    const f = n.children && findNode(n.children, key);
    if (f) return f;
  }
  return undefined;
}

/** Region code prefix of a parent: the digits its children share. */
export function childPrefix(parent: Region): string {
  const digits = { 1: 2, 2: 4, 3: 6, 4: 9 }[parent.level as 1 | 2 | 3 | 4] ?? 12;
  return parent.code.slice(0, digits);
}
