//! The byte encoding of model records inside a snapshot: strings as a u32
//! length and UTF-8 bytes, vectors as a u32 count, options as a tag byte,
//! little-endian throughout. Decoding is bounds-checked: bad bytes give
//! [`SnapshotError::Corrupt`], never a panic.

use super::SnapshotError;
use crate::model::{
    Claim, Entity, Evidence, KindDef, PredicateClass, PredicateDef, Reference, Sign, StudyDef,
    VocabularySection,
};

pub(super) struct Writer(pub Vec<u8>);

impl Writer {
    pub(super) fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    pub(super) fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    pub(super) fn len(&mut self, n: usize) {
        self.u32(u32::try_from(n).expect("fewer than 4 billion items"));
    }

    pub(super) fn str(&mut self, s: &str) {
        self.len(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }

    fn opt(&mut self, s: &Option<impl AsRef<str>>) {
        match s {
            None => self.0.push(0),
            Some(s) => {
                self.0.push(1);
                self.str(s.as_ref());
            }
        }
    }

    pub(super) fn strs(&mut self, v: &[impl AsRef<str>]) {
        self.len(v.len());
        v.iter().for_each(|s| self.str(s.as_ref()));
    }

    pub(super) fn vocabulary(&mut self, v: &VocabularySection) {
        self.len(v.kinds.len());
        for k in &v.kinds {
            self.str(&k.id);
            self.str(&k.label);
            self.opt(&k.description);
        }
        self.len(v.predicates.len());
        for p in &v.predicates {
            self.str(&p.id);
            self.0.push(match p.sign {
                Sign::Plus => 0,
                Sign::Minus => 1,
                Sign::None => 2,
            });
            self.0.push(match p.class {
                PredicateClass::Causal => 0,
                PredicateClass::Correlative => 1,
                PredicateClass::Structural => 2,
            });
            self.str(&p.label);
            self.str(&p.inverse);
            self.strs(&p.subject_kinds);
            self.strs(&p.object_kinds);
            self.opt(&p.description);
        }
        self.len(v.studies.len());
        for s in &v.studies {
            self.str(&s.id);
            self.u32(u32::from(s.rank));
            self.str(&s.label);
            self.opt(&s.description);
        }
        // Context terms are few and rarely declared: JSON keeps this simple.
        let contexts = if v.contexts.is_empty() {
            String::new()
        } else {
            serde_json::to_string(&v.contexts).expect("context terms serialize")
        };
        self.str(&contexts);
    }

    pub(super) fn entity(&mut self, e: &Entity) {
        self.str(&e.id);
        self.str(&e.name);
        self.str(&e.kind);
        self.opt(&e.group);
        self.strs(&e.aliases);
        self.strs(&e.xrefs);
        self.opt(&e.description);
    }

    pub(super) fn reference(&mut self, r: &Reference) {
        self.str(&r.id);
        self.str(&r.kind);
        self.str(&r.title);
        self.strs(&r.authors);
        match r.year {
            None => self.0.push(0),
            Some(y) => {
                self.0.push(1);
                self.0.extend_from_slice(&y.to_le_bytes());
            }
        }
        for field in [&r.journal, &r.volume, &r.issue, &r.pages, &r.doi, &r.pmid, &r.pmcid, &r.url, &r.note] {
            self.opt(field);
        }
    }

    pub(super) fn claim(&mut self, c: &Claim) {
        self.str(&c.id);
        self.str(&c.subject);
        self.str(&c.predicate);
        self.str(&c.object);
        self.len(c.evidence.len());
        for e in &c.evidence {
            self.str(&e.reference);
            self.str(&e.summary);
            self.opt(&e.quote());
            self.opt(&e.locator());
            self.str(&e.study);
            for field in [&e.species, &e.model, &e.tissue, &e.condition] {
                self.opt(field);
            }
        }
        self.0.push(c.negated as u8);
        self.opt(&c.certainty);
        self.opt(&c.note);
    }
}

pub(super) struct Reader<'b> {
    pub bytes: &'b [u8],
    pub pos: usize,
}

pub(super) type Res<T> = Result<T, SnapshotError>;

impl<'b> Reader<'b> {
    pub(super) fn take(&mut self, n: usize) -> Res<&'b [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len()).ok_or(SnapshotError::Corrupt)?;
        let out = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    pub(super) fn u8(&mut self) -> Res<u8> {
        Ok(self.take(1)?[0])
    }

    pub(super) fn u32(&mut self) -> Res<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }

    pub(super) fn u64(&mut self) -> Res<u64> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().expect("8 bytes")))
    }

    /// A count, refused when it could not possibly fit in the rest of the
    /// input (so a damaged length cannot make us allocate gigabytes).
    pub(super) fn len(&mut self) -> Res<usize> {
        let n = self.u32()? as usize;
        if n > self.bytes.len() - self.pos {
            return Err(SnapshotError::Corrupt);
        }
        Ok(n)
    }

    /// A string, as any type made from `&str` (`String`, the model's `Text`).
    pub(super) fn string<T: From<&'b str>>(&mut self) -> Res<T> {
        let n = self.len()?;
        let bytes = self.take(n)?;
        std::str::from_utf8(bytes).map(T::from).map_err(|_| SnapshotError::Corrupt)
    }

    fn opt<T: From<&'b str>>(&mut self) -> Res<Option<T>> {
        match self.u8()? {
            0 => Ok(None),
            1 => self.string().map(Some),
            _ => Err(SnapshotError::Corrupt),
        }
    }

    fn strings<T: From<&'b str>>(&mut self) -> Res<Vec<T>> {
        self.many(Self::string)
    }

    fn many<T>(&mut self, item: impl Fn(&mut Self) -> Res<T>) -> Res<Vec<T>> {
        let n = self.len()?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(item(self)?);
        }
        Ok(out)
    }

    pub(super) fn vocabulary(&mut self) -> Res<VocabularySection> {
        let kinds =
            self.many(|r| Ok(KindDef { id: r.string()?, label: r.string()?, description: r.opt()? }))?;
        let predicates = self.many(Self::predicate)?;
        let studies = self.many(|r| {
            let id = r.string()?;
            let rank = u16::try_from(r.u32()?).map_err(|_| SnapshotError::Corrupt)?;
            Ok(StudyDef { id, rank, label: r.string()?, description: r.opt()? })
        })?;
        let contexts = match self.string::<String>()? {
            s if s.is_empty() => Vec::new(),
            s => serde_json::from_str(&s).map_err(|_| SnapshotError::Corrupt)?,
        };
        Ok(VocabularySection { kinds, predicates, studies, contexts })
    }

    fn predicate(&mut self) -> Res<PredicateDef> {
        let id = self.string()?;
        let sign = match self.u8()? {
            0 => Sign::Plus,
            1 => Sign::Minus,
            2 => Sign::None,
            _ => return Err(SnapshotError::Corrupt),
        };
        let class = match self.u8()? {
            0 => PredicateClass::Causal,
            1 => PredicateClass::Correlative,
            2 => PredicateClass::Structural,
            _ => return Err(SnapshotError::Corrupt),
        };
        Ok(PredicateDef {
            id,
            sign,
            class,
            label: self.string()?,
            inverse: self.string()?,
            subject_kinds: self.strings()?,
            object_kinds: self.strings()?,
            description: self.opt()?,
        })
    }

    pub(super) fn entity(&mut self) -> Res<Entity> {
        Ok(Entity {
            id: self.string()?,
            name: self.string()?,
            kind: self.string()?,
            group: self.opt()?,
            aliases: self.strings()?,
            xrefs: self.strings()?,
            description: self.opt()?,
        })
    }

    pub(super) fn reference(&mut self) -> Res<Reference> {
        let (id, kind, title, authors) = (self.string()?, self.string()?, self.string()?, self.strings()?);
        let year = match self.u8()? {
            0 => None,
            1 => Some(i32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes"))),
            _ => return Err(SnapshotError::Corrupt),
        };
        Ok(Reference {
            id,
            kind,
            title,
            authors,
            year,
            journal: self.opt()?,
            volume: self.opt()?,
            issue: self.opt()?,
            pages: self.opt()?,
            doi: self.opt()?,
            pmid: self.opt()?,
            pmcid: self.opt()?,
            url: self.opt()?,
            note: self.opt()?,
        })
    }

    pub(super) fn claim(&mut self) -> Res<Claim> {
        let (id, subject, predicate, object) =
            (self.string()?, self.string()?, self.string()?, self.string()?);
        let evidence = self.many(|r| {
            let (reference, summary, quote, locator) = (r.string()?, r.string()?, r.opt()?, r.opt()?);
            let mut e = Evidence {
                reference,
                summary,
                study: r.string()?,
                species: r.opt()?,
                model: r.opt()?,
                tissue: r.opt()?,
                condition: r.opt()?,
                excerpt: None,
            };
            e.set_excerpt(quote, locator);
            Ok(e)
        })?;
        let negated = match self.u8()? {
            0 => false,
            1 => true,
            _ => return Err(SnapshotError::Corrupt),
        };
        Ok(Claim {
            id,
            subject,
            predicate,
            object,
            evidence,
            negated,
            certainty: self.opt()?,
            note: self.opt()?,
        })
    }
}
