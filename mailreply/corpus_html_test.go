package mailreply_test

// htmlCases: HTML-only replies: a rule and a header block in one element,
// a bare blockquote at the end, a rule left over at the end.
func htmlCases() []corpusCase {
	const hrBlock = "HTML: <hr> and a header block in the same element"
	const bare = "HTML: bare trailing <blockquote>"
	const trailingRule = "HTML: trailing rule left from an <hr>"
	return []corpusCase{
		{name: "en_owa_hr_same_element", lang: "en", class: hrBlock, prompt: "friendship-3", client: "html",
			who: "Priya Shah <priya.shah@outlook.com>", tz: "Europe/London",
			html: `<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><style type="text/css" style="display:none;"> P {margin-top:0;margin-bottom:0;} </style></head><body dir="ltr"><div class="elementToProof" style="font-family: Aptos, Arial, sans-serif; font-size: 12pt; color: rgb(0, 0, 0);">Yes! We cooked together on Sunday and laughed the whole time.</div><div class="elementToProof"><br></div><div style="font-family: Aptos, Arial, sans-serif;"><hr style="display:inline-block;width:98%" tabindex="-1"><b>From:</b> Steady &lt;steady@example.org&gt;<br><b>Sent:</b> Tuesday, March 3, 2026 9:00 AM<br><b>To:</b> {to} &lt;{to}&gt;<br><b>Subject:</b> {subject}<br><br>{prompthtml}</div></body></html>`,
			want: "Yes! We cooked together on Sunday and laughed the whole time."},
		{name: "nl_owa_hr_same_element", lang: "nl", class: hrBlock, prompt: "honesty-6", client: "html",
			who: "Daan Jansen <daan.jansen@outlook.com>", tz: "Europe/Amsterdam", subject: "RE: {subject}",
			html: `<html><body dir="ltr"><div class="elementToProof">JA. Hij gaf meteen toe dat hij de afspraak vergeten was.</div><div><hr style="display:inline-block;width:98%" tabindex="-1"><font face="Calibri, sans-serif" color="#000000" style="font-size:11pt"><b>Van:</b> Steady &lt;steady@example.org&gt;<br><b>Verzonden:</b> dinsdag 3 maart 2026 09:00<br><b>Aan:</b> {to}<br><b>Onderwerp:</b> {subject}</font><div>&nbsp;</div>{prompthtml}</div></body></html>`,
			want: "JA. Hij gaf meteen toe dat hij de afspraak vergeten was."},
		{name: "vi_owa_hr_same_element", lang: "vi", class: hrBlock, prompt: "trust-2", client: "html",
			who: "Trần Minh Anh <minhanh.tran@outlook.com>", tz: "Asia/Ho_Chi_Minh", subject: "TL: {subject}",
			html: `<html><body><div>Có. Anh ấy để em tự quyết chuyện tiền nhà.</div><div><hr style="display:inline-block;width:98%" tabindex="-1"><b>Từ:</b> Steady &lt;steady@example.org&gt;<br><b>Đã gửi:</b> Thứ Ba, ngày 3 tháng 3 năm 2026 09:00<br><b>Đến:</b> {to}<br><b>Chủ đề:</b> {subject}<br><br>{prompthtml}</div></body></html>`,
			want: "Có. Anh ấy để em tự quyết chuyện tiền nhà."},
		{name: "fi_owa_hr_same_element", lang: "fi", class: hrBlock, prompt: "confiding-1", client: "html",
			who: "Aino Virtanen <aino.virtanen@outlook.com>", tz: "Europe/Helsinki", subject: "VS: {subject}",
			html: `<html><body><p>Kyllä. Kerroin työhuolistani, ja hän kuunteli.</p><div><hr><b>Lähettäjä:</b> Steady &lt;steady@example.org&gt;<br><b>Lähetetty:</b> tiistai 3. maaliskuuta 2026 9.00<br><b>Vastaanottaja:</b> {to}<br><b>Aihe:</b> {subject}<br>{prompthtml}</div></body></html>`,
			want: "Kyllä. Kerroin työhuolistani, ja hän kuunteli."},
		{name: "en_bare_blockquote", lang: "en", class: bare, prompt: "keeping_word-3", client: "html", mailer: "Spark",
			who: "Morgan Reed <morgan.reed@icloud.com>", tz: "Europe/London",
			html: `<html><body><div>No. He changed the plan an hour before and said nothing.</div><div><br></div><blockquote style="margin:0 0 0 0.8ex;border-left:1px solid #ccc;padding-left:1ex">{prompthtml}</blockquote></body></html>`,
			want: "No. He changed the plan an hour before and said nothing."},
		{name: "ru_mailru_bare_blockquote", lang: "ru", class: bare, prompt: "distancing-3", client: "html", mailer: "Mail.ru Mailer 1.0",
			who: "Ольга Иванова <olga.ivanova@mail.ru>", tz: "Europe/Moscow",
			html: `<HTML><BODY><div>Нет, опять ушёл в другую комнату и молчал.</div><div>&nbsp;</div><div data-signature-widget="container"><div data-signature-widget="content"><div>--<br>Ольга</div></div></div><div>&nbsp;</div><div><br>Вторник, 3 марта 2026, 9:00 +03:00 от Steady &lt;<a href="mailto:steady@example.org">steady@example.org</a>&gt;:<br>&nbsp;<blockquote style="border-left:1px solid #0857A6; margin:10px; padding:0 0 0 10px;">{prompthtml}</blockquote></div></BODY></HTML>`,
			want: "Нет, опять ушёл в другую комнату и молчал."},
		{name: "fr_bare_blockquote_attribution", lang: "fr", class: bare, prompt: "fear_doubt-3", client: "html", mailer: "Airmail (637)",
			who: "Camille Martin <camille.martin@free.fr>", tz: "Europe/Paris",
			html: `<html><body><div>Oui. Pour l'appartement, il a dit qu'on y arriverait, et on a signé.</div><br><div>Le mar. 3 mars 2026 à 09:00, Steady &lt;steady@example.org&gt; a écrit :</div><blockquote style="margin:1ex 0 0 0;border-left:1px #3367d6 solid;padding-left:1ex">{prompthtml}</blockquote></body></html>`,
			want: "Oui. Pour l'appartement, il a dit qu'on y arriverait, et on a signé."},
		{name: "pt_owa_trailing_rule", lang: "pt", class: trailingRule, prompt: "has_your_back-3", client: "html",
			who: "João Ferreira <joao.ferreira@outlook.pt>", tz: "Europe/Lisbon", subject: "RE: {subject}",
			html: `<html><body dir="ltr"><div>SIM. Ficou do meu lado no jantar com os meus pais.</div><hr style="display:inline-block;width:98%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" color="#000000"><b>De:</b> Steady &lt;steady@example.org&gt;<br><b>Enviado:</b> terça-feira, 3 de março de 2026 09:00<br><b>Para:</b> {to}<br><b>Assunto:</b> {subject}</font><div>&nbsp;</div></div>{prompthtml}</body></html>`,
			want: "SIM. Ficou do meu lado no jantar com os meus pais."},
		{name: "de_gmail_html_trailing_rule", lang: "de", class: trailingRule, prompt: "honesty-6", client: "html",
			who: "Jonas Müller <jonas.mueller@gmail.com>", tz: "Europe/Berlin", subject: "AW: {subject}",
			html: `<div dir="ltr"><div>JA. Er hat sich noch am selben Abend entschuldigt.</div><div><br></div><hr></div><br><div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">Am Di., 3. März 2026 um 09:00 Uhr schrieb Steady &lt;<a href="mailto:steady@example.org">steady@example.org</a>&gt;:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">{prompthtml}</blockquote></div>`,
			want: "JA. Er hat sich noch am selben Abend entschuldigt."},
		{name: "es_html_trailing_rule", lang: "es", class: trailingRule, prompt: "friendship-4", client: "html", mailer: "Roundcube Webmail/1.6.9",
			who: "Lucía García <lucia@garcia.example>", tz: "Europe/Madrid",
			html: `<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"></head><body style="font-size: 10pt; font-family: Verdana,Geneva,sans-serif"><p>Sí, hablamos como dos amigas de siempre.</p><hr><div id="reply-intro">El 2026-03-03 09:00, Steady escribió:</div><blockquote type="cite" style="padding: 0 0.4em; border-left: #1010ff 2px solid; margin: 0">{prompthtml}</blockquote></body></html>`,
			want: "Sí, hablamos como dos amigas de siempre."},
	}
}
